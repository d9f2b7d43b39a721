/*
 * certificates.h - the documents a request gives (issue 12 items 6 and 9):
 * the certificate a done certificate request carries, and the printable
 * application (заявление) of a vacation or absence request. PDF by
 * pdf.h; the organization's details by org.h (organizations: name, ИНН,
 * КПП, ОКПО, address, head).
 *
 * Certificates are made once, when the request is done (in the
 * completion's transaction: a document that cannot be made fails the
 * completion, and nothing changes), numbered in the tenant's journal of
 * certificates for the year (sql/0052: № 1, 2, ... from 1 January), dated
 * the completion's day in the organization's zone, signed by the performer
 * who completed the request (their name and position) or, when the
 * accounting system completed it, by the organization's head, and kept as
 * a file of the request (requests_file_put: PostgreSQL or attachments_dir).
 * The request's result names it: {"document": {"file_id", "number",
 * "date", "name", "url"}}.
 *
 *   certificate_employment        справка с места работы: the employee's full
 *                                 name, personnel number, position, department,
 *                                 hire date (and dismissal date), where it is to
 *                                 be presented (purpose), copies
 *   certificate_vacation_balance  остаток отпуска on the request's date (today
 *                                 by default): months of service, days earned,
 *                                 used, the balance (vacation.admin_balance's
 *                                 reading, the same as the employee's page)
 *   certificate_ndfl              «Справка о доходах и суммах налога
 *                                 физического лица» (КНД 1175018) for the
 *                                 request's year, from the stored payroll
 *                                 (payroll_employees, payroll_lines,
 *                                 payroll_payments, opening_balances,
 *                                 ndfl_children): the agent and the person, the
 *                                 monthly incomes by income code (2000 pay for
 *                                 work and its premiums and regional lines,
 *                                 2002 bonuses, 2012 vacation pay, 2013
 *                                 compensation for unused vacation, 2300 sick
 *                                 pay, 2760 material aid with deduction code
 *                                 503 for its exempt 4 000 a year), the child
 *                                 deductions by code (126-128 by the child's
 *                                 order, 129 a disabled child; 134, 136, 138,
 *                                 140 the same doubled for a sole parent), the
 *                                 year's income, tax base, tax computed,
 *                                 withheld (the payments' НДФЛ, or a closed
 *                                 month's tax when it has no payments: paid
 *                                 outside the service) and not withheld.
 *                                 Refused (409) while a month of the year is
 *                                 stale (its results no longer match their
 *                                 inputs) or the year has no calculated month.
 *
 * The application of a vacation or absence request is made when asked for,
 * from the request as it is, while it means something - once sent and until
 * withdrawn or refused (submitted, awaiting_approval, approved,
 * in_progress, done; not a draft, a cancelled or a rejected one): addressed to the organization's
 * head, from the employee (position, department, personnel number), what
 * is asked (kind or reason, dates, calendar days, comment), the request's
 * number and date, the approvals so far, lines to sign and date on paper.
 *
 * API:
 *   GET /api/requests/{id}/document   the PDF as an attachment with a Russian
 *        file name: a done certificate request's certificate (409 before it is
 *        done), a vacation or absence request's application (409 for a
 *        draft, a cancelled or a rejected one); 409 for the other types. Who: as GET /api/requests/{id} (the employee, the holder
 *        of one of its tasks, the employee's manager, the administrator).
 * The certificate is also in the request's files (GET
 * /api/requests/{request_id}/files/{id}).
 *
 * Dates are shown 22.11.2026, money 30 500,00 (no-break spaces).
 */
#ifndef CABINET_CERTIFICATES_H
#define CABINET_CERTIFICATES_H

#include "dispatch.h"

#include <stdint.h>

/* A request being completed, as certificates_issue() needs it. */
struct certificate_request {
	int64_t id, employee; /* the request and whose it is */
	int64_t task;         /* the execution task being completed; 0: none */
	const char *type;     /* "certificate_employment", ... */
	json_object *data;    /* the request's fields (lent) */
};

/* 1 when the request type's completion makes a certificate. */
int certificates_is_certificate(const char *type);

/*
 * Whether a request of this type in this state has a document to download
 * (the one rule for GET /api/requests/{id}/document and the document_url
 * of a request's JSON): NULL when it has, else why not, in Russian (the
 * 409's message). has_certificate: the request's result names a made
 * certificate.
 */
const char *certificates_no_document(const char *type, const char *state, int has_certificate);

/*
 * Makes the certificate of a request being completed, attaches it, and
 * adds {"document": {...}} to result. Signed by the caller's employee (the
 * performer), else by the organization's head. 0, or -1 after ctx_fail
 * (409 for a НДФЛ year without calculated or with stale months, 503 when no
 * font can be found).
 */
int certificates_issue(struct ctx *ctx, const struct certificate_request *r, json_object *result);

extern const struct op certificates_ops[];

#endif
