/*
 * payterms.h - an employee's pay terms from dates (table employee_pay);
 * operations in payterms_ops (ops.h), the rules at the top of payterms.c.
 */
#ifndef CABINET_PAYTERMS_H
#define CABINET_PAYTERMS_H

#include "dispatch.h"

/* Writes pay terms in bulk (the form and the exchange): set is a JSON
 * array of {"employee_id", "date_from", "rate" ("30000.00"), "pay_by"
 * ("days" | "hours"), "norm" (null | "per_period" | "summed")}, replacing
 * terms of the same date; drop of {"employee_id", "date_from"}. The caller
 * has checked the values, the employees and the closed months. 0 or -1. */
int payterms_write(struct ctx *ctx, json_object *set, json_object *drop);

/* The terms of the request's arguments "rate", "pay_by", "norm"?,
 * "district_coefficient"?, "northern_percent"? (the card's form, the staff
 * list's bulk action: staff.h) checked and put into row as payterms_write
 * takes them (without employee_id and date_from). 0, or -1 after 422
 * naming each bad field. */
int payterms_read(struct ctx *ctx, json_object *row);

#endif
