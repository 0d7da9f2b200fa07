package org.custodian.app.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Some of a closed-loop load's clients on one thread: each client has its own keep-alive connection and one request
 * in flight, as with a thread per client, but one selector waits for all of their answers. On two cores shared with
 * the server and PostgreSQL, a thread per client costs the machine a thread switch for every answer; load generators
 * such as wrk and h2load multiplex for that reason, so that what is measured is the server.
 *
 * <p>Each answer is parsed completely (status line, headers, a Content-Length or chunked body), checked like the
 * blocking clients' ({@link HttpConnection.Response}), and timed from the request's first byte written to its last
 * byte read.
 */
final class MultiplexedClients {
    private final int port;
    private final LoopbackLoad.Http http;

    MultiplexedClients(int port, LoopbackLoad.Http http) {
        this.port = port;
        this.http = http;
    }

    /** Runs clients {@code first} .. {@code first + count - 1} until {@code stop}; their latencies while {@code measuring}. */
    Latencies run(int first, int count, AtomicBoolean measuring, AtomicBoolean stop, AtomicLong failures) throws IOException {
        Latencies latencies = new Latencies();
        try (Selector selector = Selector.open()) {
            List<Connection> connections = new ArrayList<>(count);
            for (int c = first; c < first + count; c++) {
                Connection connection = new Connection(c);
                connections.add(connection);
                connection.open(selector, stop, failures);
            }
            while (!stop.get()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            connection.write(key);
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read(key, measuring, latencies, failures);
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        connection.close();
                        connection.open(selector, stop, failures);
                    }
                }
                selector.selectedKeys().clear();
            }
            connections.forEach(Connection::close);
        }
        return latencies;
    }

    /** One client: its connection, the request in flight and what has come back of its answer. */
    private final class Connection {
        private final int client;
        private final SplittableRandom random;
        private long sent;
        private SocketChannel channel;
        private ByteBuffer out;
        private long started;
        private byte[] in = new byte[16 * 1024];
        private int length;

        Connection(int client) {
            this.client = client;
            this.random = LoopbackLoad.randomFor(client);
        }

        /** Connects (again) and sends the next request; a refused connection counts as a failure and is retried. */
        void open(Selector selector, AtomicBoolean stop, AtomicLong failures) throws IOException {
            while (!stop.get()) {
                try {
                    channel = SocketChannel.open();
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.connect(new InetSocketAddress("127.0.0.1", port));
                    channel.configureBlocking(false);
                    SelectionKey key = channel.register(selector, 0, this);
                    length = 0;
                    next(key);
                    return;
                } catch (IOException e) {
                    failures.incrementAndGet();
                    close();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while reconnecting", interrupted);
                    }
                }
            }
        }

        private void next(SelectionKey key) throws IOException {
            out = ByteBuffer.wrap(http.requests().next(client, sent++, random));
            started = System.nanoTime();
            write(key);
        }

        void write(SelectionKey key) throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void read(SelectionKey key, AtomicBoolean measuring, Latencies latencies, AtomicLong failures) throws IOException {
            while (true) {
                if (length == in.length) {
                    in = java.util.Arrays.copyOf(in, in.length * 2);
                }
                int n = channel.read(ByteBuffer.wrap(in, length, in.length - length));
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                if (n == 0) {
                    return;
                }
                length += n;
                HttpAnswer.Parsed parsed = HttpAnswer.parse(in, length);
                if (parsed == null) {
                    continue;
                }
                long elapsed = System.nanoTime() - started;
                if (parsed.end() != length) {
                    throw new IOException("bytes after the answer, which no request asked for");
                }
                if (!http.check().ok(parsed.response())) {
                    failures.incrementAndGet();
                } else if (measuring.get()) {
                    latencies.add(elapsed);
                }
                length = 0;
                next(key);
                return;
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
