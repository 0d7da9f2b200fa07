package org.custodian.server.audit;

import java.util.List;
import org.custodian.server.patients.PageModels;

/**
 * The auditor's page: the form (agreement and period) and, once run, the report and the ledger entry recording that it was viewed.
 *
 * @param errorField the id of the field the error is about ({@code agreement}, {@code from} or {@code to}), or null
 */
public record AuditPageModel(PageModels.Banner banner, List<PageModels.Option> agreements, String from, String to, String error,
        String errorField, AuditModel report, String receipt) {}
