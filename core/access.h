/*
 * access.h - who may run an operation and on what object, declared once in
 * the operation's row (struct op, dispatch.h) and checked by the dispatcher
 * before the handler runs (DESIGN.md, security model).
 *
 * A row says, in its `who` member, the kinds of caller it admits and,
 * optionally, the object it acts on (the integer argument that names it):
 *
 *   {"requests.get", OP_EMPLOYEE, requests_get, 0, requests_id_args,
 *    .who = WHO_ON(WHO_SELF | WHO_ASSIGNEE | WHO_MANAGER | WHO_ADMIN, OBJ_REQUEST, "id")}
 *
 * Each WHO_* bit is a role and, with an object, the caller's relation to it:
 *
 *   bit            role needed                  with an object: it is ...
 *   WHO_USER       any signed-in user           (no object)
 *   WHO_SELF       an employee (the user has    the caller's own: themselves,
 *                  an employee record)          their request, their substitute row
 *   WHO_ASSIGNEE   an employee                  a task assigned to the caller (an HR
 *                                               task too); a request (or its file)
 *                                               with such a task
 *   WHO_MANAGER    a manager: head of a         the employee (or request, file) of
 *                  department or organization   someone in the caller's charge: the
 *                                               departments they head with their
 *                                               sub-departments, the organizations
 *                                               they head (drafts excepted); a
 *                                               request or file only when its
 *                                               chain has a "manager" step (the
 *                                               approval of a vacation, absence or
 *                                               business trip): a subordinate's
 *                                               personal data, tax deduction (the
 *                                               children), certificates and
 *                                               questions are not the manager's
 *   WHO_PERFORMER  a performer of a routing     HR: any employee of the tenant (the
 *                  role (routing.h)             objects that admit it)
 *   WHO_GIVER      one who may give HR tasks:   an HR task the caller gave (its
 *                  a manager, a performer or    given_by is the caller's user)
 *                  the administrator
 *   WHO_ADMIN      the tenant's administrator   any object of the tenant
 *
 * An HR task (OBJ_HR_TASK) is its employee's and its giver's only (seed
 * 003: the task is the profile service's exchange with the employee, "по
 * статусной модели", with documents attached): WHO_ASSIGNEE, WHO_GIVER and
 * the tenant's administrator, who sees every HR task as every other object
 * of the tenant. Neither the employee's managers nor the performers of the
 * routing roles (who handle requests, not each other's tasks) relate to it
 * unless they gave it.
 *
 * The check, after the session and the arguments (dispatch.c):
 *   1. the caller holds none of the roles of the row's bits: 403;
 *   2. the object does not exist in the host's tenant, or none of the bits
 *      whose role the caller holds relates them to it: 404 (the same answer
 *      for another person's object and for one that does not exist, so ids
 *      cannot be probed);
 *   3. else the handler runs with ctx->object_id, ctx->object_employee_id
 *      (the employee the object belongs to) and ctx->who_matched (the bit
 *      that let the caller in: a handler may show an administrator more).
 * Another tenant's session on a host is 404 before any of this (session.c).
 *
 * A row acting on an employee may refuse the caller's own record whatever
 * their roles (WHO_ON_NOT_SELF: giving oneself an HR task): 422 at the
 * argument with the row's text, checked with the object, before the
 * relations (so a manager naming themselves is told why, not 404).
 *
 * OP_ADMIN rows need no `who` (it is WHO_ADMIN); OP_EMPLOYEE rows must have
 * one (dispatch_init refuses a row without, so no operation is open to every
 * signed-in user by omission); the other access levels (anyone, tenant,
 * operator, exchange) have no user to check. Which bits an object kind
 * admits is fixed (access_object_bits); dispatch_init refuses others.
 * The declarations are listed by system.ops, and
 * tests/integration/test_access.py calls every operation as each kind of
 * user from them.
 */
#ifndef CABINET_ACCESS_H
#define CABINET_ACCESS_H

#include <stdint.h>

struct ctx;
struct op;

enum who_bits {
	WHO_USER = 1 << 0,
	WHO_SELF = 1 << 1,
	WHO_ASSIGNEE = 1 << 2,
	WHO_MANAGER = 1 << 3,
	WHO_PERFORMER = 1 << 4,
	WHO_ADMIN = 1 << 5,
	WHO_GIVER = 1 << 6,
	WHO_LAST = WHO_GIVER, /* the highest bit */
};

enum who_object {
	OBJ_NONE = 0,
	OBJ_EMPLOYEE,   /* employees.id */
	OBJ_REQUEST,    /* requests.id (requests.h) */
	OBJ_TASK,       /* request_tasks.id */
	OBJ_ATTACHMENT, /* request_files.id: as its request */
	OBJ_SUBSTITUTE, /* substitutes.id (routing.h) */
	OBJ_HR_TASK,    /* request_tasks.id of an HR task (hrtasks.h): its owner is the
	                   employee it was given to */
};

struct op_who {
	unsigned bits;          /* WHO_* */
	enum who_object object; /* OBJ_NONE: the operation acts on no named object */
	const char *arg;        /* the declared integer argument naming the object */
	/* OBJ_EMPLOYEE: when set, the caller's own employee record is refused
	 * with 422 at arg and this text (giving oneself a task), whatever the
	 * caller's roles, rather than the 404 of an employee outside their
	 * charge */
	const char *not_self;
};

#define WHO(bits_)                                                                                 \
	{                                                                                          \
		.bits = (bits_)                                                                    \
	}
#define WHO_ON(bits_, object_, arg_)                                                               \
	{                                                                                          \
		.bits = (bits_), .object = (object_), .arg = (arg_)                                \
	}

#define WHO_ON_NOT_SELF(bits_, object_, arg_, not_self_)                                           \
	{                                                                                          \
		.bits = (bits_), .object = (object_), .arg = (arg_), .not_self = (not_self_)       \
	}

/*
 * API key scopes. An OP_EXCHANGE row names the scope a key needs to call it
 * (.scope = "staff"); a key holds the scopes its administrator chose
 * (api_keys.scopes, sql/0055; keys made before have all). A key without the
 * row's scope gets 403 naming it, before the arguments are read
 * (access_check_role). ACCESS_SCOPE_ANY: any key (the exchange log, which
 * holds counts and no one's data). dispatch_init refuses an exchange row
 * without a scope or with an unknown one, and a scope on any other row.
 *   staff     organizations, departments, positions, employees, personal file
 *   payroll   opening balances, accruals
 *   requests  the requests feed, their states pushed back
 *   kpi       KPIs
 */
#define ACCESS_SCOPE_ANY "any"
extern const char *const access_scopes[];          /* NULL-terminated */
const char *access_scope_title(const char *scope); /* "Сотрудники", or the name */

/* The bits an object kind can relate a caller by. */
unsigned access_object_bits(enum who_object object);
/* Names for system.ops: "self", ..., and "employee", "request", ... */
const char *access_bit_name(unsigned bit);
const char *access_object_name(enum who_object object);

/*
 * The check of the row's declaration for the signed-in caller, inside the
 * request's transaction: access_check_role (step 1) after session_resolve,
 * before the arguments are read, so a caller who may not run the operation
 * learns nothing about its arguments; access_check_object (steps 2 and 3)
 * after the arguments. 0, or -1 after ctx_fail (403 or 404). When an
 * argument failed its declaration the request answers 422 and neither the
 * object check nor the handler runs.
 */
int access_check_role(struct ctx *ctx);
int access_check_object(struct ctx *ctx);

/* Declaration errors of a row, for dispatch_init: NULL when the row's `who`
 * fits its access level, its object kind and its declared arguments, else
 * what is wrong. */
const char *access_row_error(const struct op *op);

/*
 * The caller's roles beyond ROLE_ADMIN, looked up once per request:
 * ROLE_MANAGER and ROLE_PERFORMER (dispatch.h) are or-ed into ctx->roles.
 * 0 or -1.
 */
int access_load_roles(struct ctx *ctx);

/* 1 when employee is in manager's charge (see WHO_MANAGER), 0 if not, -1
 * after ctx_fail. */
int access_in_charge(struct ctx *ctx, int64_t manager, int64_t employee);

#endif
