/*
 * average.h - pay kept from average earnings: vacation pay (Labor Code art.
 * 139, Government decree 922) and the employer's part of sick pay (law
 * 255-FZ, decree 2375), exactly as shared/reference/payroll.md says. Pure:
 * no I/O, no allocation, no floating point (money in kopecks, money.h).
 *
 * Vacation pay (decree 922):
 *   the period is the 12 calendar months before the month the vacation
 *   starts (before the dismissal month for a compensation); a month before
 *   the hire date counts with all its days excluded; a month of the
 *   employment with no stored result and no opening balance (the hire month
 *   partly worked, never calculated) is computed from its time by the
 *   caller (payrun.c payrun_average_months), its days before the hire
 *   excluded;
 *   divisor = 29.3 × fully counted months + for each partly counted month
 *   29.3 × (its calendar days − excluded days) / its calendar days, exact
 *   (computed over the common denominator 10 × lcm(28, 29, 30, 31) =
 *   3 775 800, so nothing is rounded);
 *   average daily earnings = the period's earnings / divisor, rounded half up
 *   to the kopeck; a divisor of 0 gives the monthly rate / 29.3 (a
 *   simplification of items 6-8, marked by *fallback so the payslip says so).
 *
 * Sick pay, the employer's part (payroll.md "Sick pay"):
 *   the employer pays the first 3 calendar days of the leave for the
 *   employee's own illness (causes 01, 02, 10, 11: AVERAGE_ILLNESS), nothing
 *   for care of a family member, quarantine or a work injury (the Social
 *   Fund pays from day 1);
 *   average = (min(earnings of Y−2, its base limit) + min(earnings of Y−1,
 *   its limit)) / 730, rounded half up, where Y is the year the leave
 *   starts (a year's earnings: the sum of its months' insured income, each
 *   month from the same loader as vacation pay's, see struct
 *   average_month); not below MROT(first day) × 24 / 730 (rounded; MROT times the
 *   district coefficient where one applies);
 *   percent by the insurance record on the first day: under 5 years 60,
 *   5 to under 8 years 80, 8 years or more 100;
 *   daily benefit of a day of month M = max(round(average × percent),
 *   round(MROT / calendar days of M)); with a record under 6 months it is
 *   min(that, round(MROT / calendar days of M)). MROT is the one in force on
 *   the leave's first day (the day of the insured event, art. 14 part 1.1).
 *   Base limits 2021..2026 and MROT 2023..2026 are known: leaves starting
 *   in 2023..2026 are computed, others refused naming the year.
 */
#ifndef CABINET_AVERAGE_H
#define CABINET_AVERAGE_H

#include <stddef.h>
#include <stdint.h>

/* One month's earnings for averages: for vacation pay (decree 922) its
 * earnings without what was paid for its excluded days and how many of its
 * calendar days are excluded; for sick pay (255-FZ) its income subject to
 * insurance contributions (insured). The monthly payroll takes every month
 * of both periods from one loader (payrun.c payrun_average_months): the
 * stored result, else the opening balance (its insured_earnings, absent:
 * its earnings, as the insured income), else, where the employee was employed, the month
 * computed from its time; else nothing (every day excluded, 0 insured). */
struct average_month {
	int year, month;
	int64_t earnings;  /* kopecks, >= 0 */
	int excluded_days; /* 0 .. days of the month */
	int64_t insured;   /* kopecks; average_daily_922 does not read it */
};

/*
 * The average daily earnings of a 12-month period months[0..n) (n 1..12;
 * the caller checks it is the right 12). rate is the monthly rate for a
 * divisor of 0. Returns 0 with *average and *fallback, or -1 when a month's
 * values are out of range or the result overflows.
 */
int average_daily_922(const struct average_month *months, int n, int64_t rate, int64_t *average,
                      int *fallback);

enum average_cause {
	AVERAGE_ILLNESS = 0, /* own illness or domestic injury: employer pays 3 days */
	AVERAGE_CARE,        /* care of a family member: the Fund from day 1 */
	AVERAGE_QUARANTINE,
	AVERAGE_WORK_INJURY,
};

/* "illness", "care", "quarantine", "work_injury"; index = enum value. */
extern const char *const average_cause_names[];

struct average_sick_input {
	int from, to; /* the leave (date.h day numbers), inclusive */
	enum average_cause cause;
	int64_t earnings[2];  /* of years Y−2 and Y−1, kopecks (0: none) */
	int32_t record_m100;  /* insurance record on the first day, hundredths of a month */
	int coefficient_x100; /* district coefficient in hundredths, 0 or 100: none */
};

/* The employer's days of one calendar month. */
struct average_sick_piece {
	int from, to, days;
	int64_t daily;  /* kopecks */
	int64_t amount; /* daily × days */
};

struct average_sick_result {
	int64_t average; /* average daily earnings after the floor, kopecks */
	int percent;     /* 60, 80, 100 */
	int employer_days;
	int fund_days; /* the leave's days the Social Fund pays */
	int npieces;   /* 0 (the Fund pays all), 1 or 2 */
	struct average_sick_piece pieces[2];
};

/*
 * Computes the employer's part. Returns 0, or -1 with a Russian reason in
 * why (a year without a known base limit or MROT, values out of range).
 */
int average_sick(const struct average_sick_input *in, struct average_sick_result *out, char *why,
                 size_t nwhy);

/* MROT in force on a date and the base limit of a year, kopecks; 0 / -1. */
int average_mrot(int date, int64_t *mrot);
int average_base_limit(int year, int64_t *limit);

#endif
