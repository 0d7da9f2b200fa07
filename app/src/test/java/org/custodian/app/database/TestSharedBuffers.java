package org.custodian.app.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded PostgreSQL's cache: an eighth of the machine's memory, never below its default nor above 1 GB. */
class TestSharedBuffers {
    @ParameterizedTest
    @CsvSource({
        "0,                128",  // memory unknown: PostgreSQL's default
        "536870912,        128",  // 512 MB machine
        "2147483648,       256",  // 2 GB
        "8589934592,       1024", // 8 GB
        "25240670208,      1024", // this benchmark machine, 23.5 GB
        "274877906944,     1024", // 256 GB
    })
    void anEighthOfMemoryBetween128MegabytesAndOneGigabyte(long physicalBytes, long megabytes) {
        assertEquals(megabytes, EmbeddedDatabase.sharedBuffersMegabytes(physicalBytes));
    }
}
