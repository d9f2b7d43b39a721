/*
 * payroll.h through the C API: the seed's examples, the individual schedule,
 * error paths, property tests with a seeded PRNG, and a speed check for the
 * monthly payroll of 10 000 employees.
 */
#include "check.h"
#include "date.h"
#include "money.h"
#include "payroll.h"
#include "t13.h"
#include "testutil.h"

#include <time.h>

static struct calendar *ru;

static const struct schedule_day every8[1] = {{800, 0, 0}};
static const struct schedule_day five8[7] = {{800, 0, 0}, {800, 0, 0}, {800, 0, 0}, {800, 0, 0},
                                             {800, 0, 0}, {0, 0, 0},   {0, 0, 0}};

static struct schedule seed_schedules[2];

static void seed_setup(void)
{
	struct schedule shift = {
	    "shift", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_IGNORE, date_from_ymd(2017, 1, 1), every8,
	    1};
	struct schedule five = {"five",    SCHEDULE_WEEK, SCHEDULE_HOLIDAYS_CALENDAR,
	                        DATE_NONE, five8,         7};

	seed_schedules[0] = shift;
	seed_schedules[1] = five;
}

static struct payroll_input seed_input(const struct payroll_assignment *as)
{
	struct payroll_input in;

	memset(&in, 0, sizeof(in));
	in.year = 2017;
	in.month = 4;
	in.calendar = ru;
	in.schedules = seed_schedules;
	in.nschedules = 2;
	in.terms.rate = 3000000;
	in.terms.pay_by = PAYROLL_BY_DAYS;
	in.terms.hired = DATE_NONE;
	in.terms.dismissed = DATE_NONE;
	in.assignments = as;
	in.nassignments = 2;
	return in;
}

TEST(test_seed_examples)
{
	struct payroll_assignment as[2] = {{date_from_ymd(2017, 4, 1), 0},
	                                   {date_from_ymd(2017, 4, 12), 1}};
	struct payroll_deviation sick = {
	    T13_B, date_from_ymd(2017, 4, 17), date_from_ymd(2017, 4, 19), 0, 0, 0};
	struct payroll_input in = seed_input(as);
	struct payroll_result r;
	struct payroll_error err;

	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.nlines, 2);
	CHECK_INT(r.lines[0].amount, 1100000);
	CHECK_INT(r.lines[0].norm_days, 30);
	CHECK_INT(r.lines[1].amount, 1950000);
	CHECK_INT(r.lines[1].norm_days, 20);
	CHECK_INT(r.total, 3050000);

	in.norm = PAYROLL_NORM_SUMMED;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.lines[0].amount, 1375000);
	CHECK_INT(r.lines[0].norm_days, 24);
	CHECK_INT(r.lines[0].norm_hours, 19200);
	CHECK_INT(r.lines[0].worked_hours, 8800);
	CHECK_INT(r.lines[1].amount, 1625000);
	CHECK_INT(r.total, 3000000);

	in.deviations = &sick;
	in.ndeviations = 1;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.lines[1].worked_days, 10);
	CHECK_INT(r.lines[1].amount, 1250000);
	CHECK_INT(r.total, 2625000);
}

/* The individual schedule replaces the assigned ones: plan and norm. */
TEST(test_individual_schedule)
{
	struct payroll_assignment as[2] = {{date_from_ymd(2017, 4, 1), 0},
	                                   {date_from_ymd(2017, 4, 12), 1}};
	struct payroll_input in = seed_input(as);
	struct schedule_day ind[30];
	struct payroll_result r;
	struct payroll_error err;
	int i;

	/* Filled like 1C does from the two schedules, then a swap: 29.04 (Sat)
	 * worked instead of 28.04 (Fri). */
	CHECK(schedule_fill(&seed_schedules[0], ru, date_from_ymd(2017, 4, 1),
	                    date_from_ymd(2017, 4, 11), ind) == 0);
	CHECK(schedule_fill(&seed_schedules[1], ru, date_from_ymd(2017, 4, 12),
	                    date_from_ymd(2017, 4, 30), ind + 11) == 0);
	ind[27].hours = 0;
	ind[28].hours = 800;
	in.individual = ind;
	for (i = 0; i < 2; i++) {
		in.norm = i ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
		CHECK(payroll_run(&in, &r, &err) == 0);
		CHECK_INT(r.nlines, 2);
		CHECK_INT(r.lines[0].schedule, PAYROLL_INDIVIDUAL);
		CHECK_INT(r.lines[0].norm_days, 24);
		CHECK_INT(r.lines[1].worked_days, 13);
		CHECK_INT(r.total, 3000000);
	}
	/* Without assignments: one line for the month. */
	in.nassignments = 0;
	in.terms.pay_by = PAYROLL_BY_HOURS;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.nlines, 1);
	CHECK_INT(r.lines[0].from, date_from_ymd(2017, 4, 1));
	CHECK_INT(r.lines[0].to, date_from_ymd(2017, 4, 30));
	CHECK_INT(r.lines[0].worked_hours, 19200);
	CHECK_INT(r.total, 3000000);
	/* A bad individual day is refused. */
	ind[3].night = 900;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_STR(err.field, "individual");
	CHECK_INT(err.index, 3);
}

/* A paid non-working day counts as worked unless the timesheet says otherwise. */
TEST(test_paid_off_with_timesheet)
{
	struct schedule five = {"five",    SCHEDULE_WEEK, SCHEDULE_HOLIDAYS_CALENDAR,
	                        DATE_NONE, five8,         7};
	struct payroll_assignment a = {date_from_ymd(2020, 1, 1), 0};
	struct payroll_time rows[2] = {{date_from_ymd(2020, 4, 1), T13_B, 0},
	                               {date_from_ymd(2020, 4, 2), T13_YA, 800}};
	struct payroll_input in;
	struct payroll_result r;
	struct payroll_error err;

	memset(&in, 0, sizeof(in));
	in.year = 2020;
	in.month = 4;
	in.calendar = ru;
	in.schedules = &five;
	in.nschedules = 1;
	in.terms.rate = 2200000;
	in.terms.hired = in.terms.dismissed = DATE_NONE;
	in.assignments = &a;
	in.nassignments = 1;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 2200000);
	CHECK_INT(r.lines[0].worked_days, 22);
	in.has_timesheet = 1;
	in.timesheet = rows;
	in.ntimesheet = 2;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.lines[0].worked_days, 21); /* 01.04 sick */
	CHECK_INT(r.total, 2100000);
	in.ntimesheet = 0; /* an empty timesheet: still the paid days */
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 2200000);
}

TEST(test_errors)
{
	struct payroll_assignment as[2] = {{date_from_ymd(2017, 4, 1), 0},
	                                   {date_from_ymd(2017, 4, 12), 1}};
	struct payroll_assignment late = {date_from_ymd(2017, 5, 1), 0};
	struct payroll_assignment wrong[2] = {{date_from_ymd(2017, 4, 12), 0},
	                                      {date_from_ymd(2017, 4, 1), 1}};
	struct payroll_deviation dv[2] = {
	    {T13_S, date_from_ymd(2017, 4, 20), date_from_ymd(2017, 4, 20), 1700, 0, 0},
	    {T13_YA, date_from_ymd(2017, 4, 3), date_from_ymd(2017, 4, 3), 100, 0, 0}};
	struct payroll_time row = {date_from_ymd(2017, 5, 1), T13_YA, 800};
	struct payroll_input in = seed_input(as);
	struct payroll_result r;
	struct payroll_error err;
	struct calendar *empty = calendar_new();

	in.assignments = &late;
	in.nassignments = 1;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.code, PAYROLL_E_NO_SCHEDULE);
	CHECK_STR(err.field, "assignments");
	in.assignments = wrong;
	in.nassignments = 2;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.index, 1);
	in.assignments = as;
	in.calendar = empty;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.code, PAYROLL_E_CALENDAR);
	in.calendar = ru;
	in.deviations = dv;
	in.ndeviations = 1; /* 8 planned + 17 overtime > 24 */
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.code, PAYROLL_E_DAY_HOURS);
	CHECK_STR(err.field, "deviations");
	CHECK_INT(err.index, 0);
	in.deviations = dv + 1; /* Я is not a deviation */
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.index, 0);
	in.ndeviations = 0;
	in.has_timesheet = 1;
	in.timesheet = &row;
	in.ntimesheet = 1;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_STR(err.field, "timesheet");
	in.has_timesheet = 0;
	in.night_percent = 10;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_STR(err.field, "night_percent");
	in.night_percent = 0;
	in.terms.rate = -1;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_STR(err.field, "rate");
	in.terms.rate = 100;
	in.terms.hired = date_from_ymd(2017, 4, 20);
	in.terms.dismissed = date_from_ymd(2017, 4, 10);
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_STR(err.field, "dismissed");
	calendar_free(empty);
}

/* Zero norm: a schedule with nothing planned cannot pay overtime. */
TEST(test_zero_norm)
{
	static const struct schedule_day none[1] = {{0, 0, 0}};
	struct schedule s = {"none", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_IGNORE, 0, none, 1};
	struct payroll_assignment a = {date_from_ymd(2025, 1, 1), 0};
	struct payroll_deviation ot = {
	    T13_RV, date_from_ymd(2025, 3, 3), date_from_ymd(2025, 3, 3), 200, 0, 0};
	struct payroll_input in;
	struct payroll_result r;
	struct payroll_error err;

	memset(&in, 0, sizeof(in));
	in.year = 2025;
	in.month = 3;
	in.schedules = &s;
	in.nschedules = 1;
	in.terms.rate = 5000000;
	in.terms.hired = in.terms.dismissed = DATE_NONE;
	in.assignments = &a;
	in.nassignments = 1;
	CHECK(payroll_run(&in, &r, &err) == 0); /* nothing planned, nothing paid */
	CHECK_INT(r.total, 0);
	in.deviations = &ot;
	in.ndeviations = 1;
	CHECK(payroll_run(&in, &r, &err) == -1);
	CHECK_INT(err.code, PAYROLL_E_ZERO_NORM);
}

/* ---- property tests ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* 0..n-1 */
static int rnd(int n)
{
	return (int)(rng() % (uint64_t)n);
}

struct random_schedule {
	struct schedule s;
	struct schedule_day pattern[14];
};

/* A random week or cycle with at least one working day. */
static void random_schedule(struct random_schedule *rs)
{
	int i, n, any = 0;

	memset(rs, 0, sizeof(*rs));
	rs->s.name = "r";
	rs->s.kind = rnd(2) ? SCHEDULE_WEEK : SCHEDULE_CYCLE;
	rs->s.holidays = rnd(2) ? SCHEDULE_HOLIDAYS_CALENDAR : SCHEDULE_HOLIDAYS_IGNORE;
	n = rs->s.kind == SCHEDULE_WEEK ? 7 : 1 + rnd(14);
	for (i = 0; i < n; i++) {
		int32_t h = rnd(3) ? 25 * (1 + rnd(96)) : 0; /* quarter hours up to 24 h */

		rs->pattern[i].hours = h;
		rs->pattern[i].night = h ? rnd(h + 1) : 0;
		any |= h > 0;
	}
	if (!any)
		rs->pattern[0].hours = 800;
	rs->s.pattern = rs->pattern;
	rs->s.npattern = n;
	rs->s.start = date_from_ymd(2013, 1, 1) + rnd(14 * 365);
}

static int64_t random_rate(void)
{
	switch (rnd(4)) {
	case 0:
		return 1 + rnd(1000);
	case 1:
		return 1000000 + (int64_t)(rng() % 100000000);
	case 2:
		return (int64_t)(rng() % (uint64_t)MONEY_MAX) / 1000;
	default:
		return (int64_t)(rng() % 1000000000000ULL);
	}
}

TEST(test_property_full_month_pays_rate)
{
	int iter, bad = 0, runs = 0;

	for (iter = 0; iter < 20000; iter++) {
		struct random_schedule rs[3];
		struct schedule sc[3];
		struct payroll_assignment as[3];
		struct payroll_input in;
		struct payroll_result r;
		struct payroll_error err;
		int k = 1 + rnd(3), i, y = 2013 + rnd(14), m = 1 + rnd(12);
		int first = date_month_first(y, m), n = date_days_in_month(y, m);
		int64_t diff, salary;
		int nsalary;

		for (i = 0; i < k; i++) {
			random_schedule(&rs[i]);
			sc[i] = rs[i].s;
		}
		/* the first assignment before or at the month start, the others inside */
		as[0].from = first - rnd(400);
		as[0].schedule = 0;
		for (i = 1; i < k; i++) {
			as[i].from = as[i - 1].from < first ? first + 1 + rnd(n / 3)
			                                    : as[i - 1].from + 1 + rnd(n / 3);
			as[i].schedule = i;
		}
		memset(&in, 0, sizeof(in));
		in.year = y;
		in.month = m;
		in.calendar = ru;
		in.schedules = sc;
		in.nschedules = k;
		in.terms.rate = random_rate();
		in.terms.pay_by = rnd(2) ? PAYROLL_BY_DAYS : PAYROLL_BY_HOURS;
		in.terms.hired = in.terms.dismissed = DATE_NONE;
		in.assignments = as;
		in.nassignments = k;
		in.norm = PAYROLL_NORM_SUMMED;
		if (payroll_run(&in, &r, &err) != 0) {
			/* a random month can have nothing planned at all */
			if (err.code != PAYROLL_E_ZERO_NORM) {
				if (!bad)
					fprintf(stderr, "%s[%d]: %s\n", err.field, err.index,
					        err.message);
				bad++;
			}
			continue;
		}
		runs++;
		/* the schedule's night hours add night lines on top: compare salary */
		for (i = 0, salary = 0, nsalary = 0; i < r.nlines; i++)
			if (r.lines[i].kind == PAYROLL_LINE_SALARY) {
				salary += r.lines[i].amount;
				nsalary++;
			}
		diff = salary - in.terms.rate;
		if (diff < 0)
			diff = -diff;
		/* lines rounded cumulatively (payroll.md): exactly the rate however
		 * many lines. The first assignment starts by the month start, so every
		 * day is in a line. */
		if (diff != 0) {
			if (!bad)
				fprintf(stderr, "rate %lld salary %lld lines %d\n",
				        (long long)in.terms.rate, (long long)salary, nsalary);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(runs > 15000);
}

TEST(test_property_cutting_periods)
{
	int iter, bad = 0, runs = 0;

	for (iter = 0; iter < 20000; iter++) {
		struct random_schedule rs;
		struct payroll_assignment one, cut[8];
		struct payroll_deviation dv[2];
		struct payroll_input in;
		struct payroll_result r1, rk;
		struct payroll_error err;
		int y = 2013 + rnd(14), m = 1 + rnd(12), k = 2 + rnd(7), i;
		int first = date_month_first(y, m), n = date_days_in_month(y, m);
		int64_t diff;
		int days[31] = {0};

		random_schedule(&rs);
		one.from = first - 1 - rnd(100);
		one.schedule = 0;
		/* k - 1 distinct cut dates inside the month, ascending */
		cut[0] = one;
		for (i = 1; i < k;) {
			int d = 1 + rnd(n - 1);

			if (!days[d]) {
				days[d] = 1;
				i++;
			}
		}
		for (i = 1, k = 1; i < n; i++)
			if (days[i]) {
				cut[k].from = first + i;
				cut[k].schedule = 0;
				k++;
			}
		dv[0].code = T13_B;
		dv[0].from = first + rnd(n);
		dv[0].to = dv[0].from + rnd(10);
		dv[1].code = T13_S;
		dv[1].from = dv[1].to = first + rnd(n);
		dv[1].hours = 25 * (1 + rnd(8));
		memset(&in, 0, sizeof(in));
		in.year = y;
		in.month = m;
		in.calendar = ru;
		in.schedules = &rs.s;
		in.nschedules = 1;
		in.terms.rate = random_rate();
		in.terms.pay_by = rnd(2) ? PAYROLL_BY_DAYS : PAYROLL_BY_HOURS;
		in.terms.hired = in.terms.dismissed = DATE_NONE;
		in.norm = rnd(2) ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
		in.deviations = dv;
		in.ndeviations = rnd(3);
		in.assignments = &one;
		in.nassignments = 1;
		if (payroll_run(&in, &r1, &err) != 0)
			continue; /* nothing planned, or overtime past 24 h */
		runs++;
		in.assignments = cut;
		in.nassignments = k;
		if (payroll_run(&in, &rk, &err) != 0) {
			bad++;
			continue;
		}
		/* the same schedule cut into lines: the salary adds up to the uncut
		 * line exactly (cumulative rounding), premiums do not change */
		diff = rk.total - r1.total;
		if (diff != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(runs > 15000);
}

/* Every line amount is rate x worked / norm rounded half up (reference formula). */
TEST(test_property_rounding_half_up)
{
	int iter, bad = 0;
	struct schedule_day ind[31];
	struct payroll_input in;
	struct payroll_result r;
	struct payroll_error err;
	struct payroll_deviation dv;

	for (iter = 0; iter < 20000; iter++) {
		int i, nd = 0, wd = 0;
		int64_t rate = random_rate(), want;

		memset(&in, 0, sizeof(in));
		in.year = 2025;
		in.month = 1;
		for (i = 0; i < 31; i++) {
			ind[i].hours = rnd(2) ? 800 : 0;
			ind[i].night = 0;
			nd += ind[i].hours > 0;
		}
		if (nd == 0)
			continue;
		dv.code = T13_DO;
		dv.from = date_from_ymd(2025, 1, 1) + rnd(31);
		dv.to = dv.from + rnd(31);
		for (i = 0; i < 31; i++) {
			int d = date_from_ymd(2025, 1, 1) + i;

			if (ind[i].hours > 0 && (d < dv.from || d > dv.to))
				wd++;
		}
		in.individual = ind;
		in.terms.rate = rate;
		in.terms.hired = in.terms.dismissed = DATE_NONE;
		in.deviations = &dv;
		in.ndeviations = 1;
		if (payroll_run(&in, &r, &err) != 0) {
			bad++;
			continue;
		}
		/* floor((2 x rate x wd + nd) / (2 x nd)) is half-up for non-negative values */
		want = (int64_t)(((__int128)2 * rate * wd + nd) / (2 * nd));
		if (r.nlines != 1 || r.total != want)
			bad++;
	}
	CHECK_INT(bad, 0);
	/* The textbook half: 1.01 for 1 of 2 days is 0.505 -> 0.51. */
	for (iter = 0; iter < 31; iter++)
		ind[iter].hours = iter < 2 ? 800 : 0;
	in.terms.rate = 101;
	dv.from = dv.to = date_from_ymd(2025, 1, 2);
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 51);
}

/* The monthly payroll of 10 000 employees, each different: all calculated. */
TEST(test_10000_employees)
{
	static const struct schedule_day two_two[4] = {
	    {1200, 200, 0}, {1200, 800, 0}, {0, 0, 0}, {0, 0, 0}};
	struct schedule sc[3] = {
	    {"five", SCHEDULE_WEEK, SCHEDULE_HOLIDAYS_CALENDAR, DATE_NONE, five8, 7},
	    {"shift", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_CALENDAR, date_from_ymd(2024, 1, 1),
	     two_two, 4},
	    {"daily", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_IGNORE, date_from_ymd(2024, 1, 1), every8,
	     1}};
	struct payroll_result *r = malloc(sizeof(*r));
	struct timespec t0, t1;
	int64_t sum = 0;
	long ns;
	int e, fails = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (e = 0; e < 10000; e++) {
		struct payroll_assignment as[2] = {
		    {date_from_ymd(2024, 6, 1), e % 3},
		    {date_from_ymd(2025, 3, 10 + e % 10), (e + 1) % 3}};
		struct payroll_deviation dv[3] = {
		    {T13_OT, date_from_ymd(2025, 3, 3 + e % 7), date_from_ymd(2025, 3, 9 + e % 7),
		     0, 0, 0},
		    {T13_S, date_from_ymd(2025, 3, 25), date_from_ymd(2025, 3, 25), 200, 0, 0},
		    {T13_RV, date_from_ymd(2025, 3, 8), date_from_ymd(2025, 3, 8), 400, 0, 0}};
		struct payroll_input in;
		struct payroll_error err;

		memset(&in, 0, sizeof(in));
		in.year = 2025;
		in.month = 3;
		in.calendar = ru;
		in.schedules = sc;
		in.nschedules = 3;
		in.terms.rate = 3000000 + 100 * e;
		in.terms.pay_by = e % 2 ? PAYROLL_BY_DAYS : PAYROLL_BY_HOURS;
		in.terms.hired = in.terms.dismissed = DATE_NONE;
		in.assignments = as;
		in.nassignments = 2;
		in.norm = e % 4 ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
		in.deviations = dv;
		in.ndeviations = e % 5 ? 1 : 2;
		if (payroll_run(&in, r, &err) != 0)
			fails++;
		else
			sum += r->total;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	printf("payroll_run: %ld ns per employee-month, 10000 in %ld ms (sum %lld)\n", ns / 10000,
	       ns / 1000000, (long long)sum);
	/* The time is printed for the record, not asserted: a test on a shared
	 * machine cannot judge speed (tests/bench/bench_payroll.sh measures the
	 * whole calculation against a reference run). */
	CHECK_INT(fails, 0);
	free(r);
}

/* payroll.md: holiday work planned by the schedule, May 2025 example. */
TEST(test_holiday_planned_by_schedule)
{
	struct schedule daily = {
	    "daily", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_IGNORE, date_from_ymd(2025, 1, 1), every8,
	    1};
	struct payroll_assignment a = {date_from_ymd(2025, 1, 1), 0};
	struct payroll_deviation rv = {
	    T13_RV, date_from_ymd(2025, 5, 1), date_from_ymd(2025, 5, 1), 800, 0, 0};
	struct payroll_input in;
	struct payroll_result r;
	struct payroll_error err;
	struct workday days[31];
	struct workday_totals t;

	memset(&in, 0, sizeof(in));
	in.year = 2025;
	in.month = 5;
	in.calendar = ru;
	in.schedules = &daily;
	in.nschedules = 1;
	in.terms.rate = 6200000;
	in.terms.pay_by = PAYROLL_BY_HOURS;
	in.terms.hired = in.terms.dismissed = DATE_NONE;
	in.assignments = &a;
	in.nassignments = 1;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 6600000);
	CHECK_INT(r.nlines, 3);
	CHECK_INT(r.lines[1].kind, PAYROLL_LINE_HOLIDAY_WORK);
	CHECK_INT(r.lines[1].planned_hours, 800);
	/* the T-13 of the same input: РВ 8 on 1 and 9 May, Я on 2 and 8 May */
	CHECK(payroll_days(&in, days, &err) == 0);
	CHECK_INT(days[0].nrows, 1);
	CHECK_INT(days[0].rows[0].code, T13_RV);
	CHECK_INT(days[0].rows[0].hours, 800);
	CHECK_INT(days[8].rows[0].code, T13_RV);
	CHECK_INT(days[1].rows[0].code, T13_YA);
	CHECK_INT(days[7].rows[0].code, T13_YA);
	workday_totals(days, 31, &t);
	CHECK_INT(t.days[2], 31);
	CHECK_INT(t.hours[2], 24800);
	/* an РВ document of 8 h on 1 May: still one 8-hour day, 66 000.00 */
	in.deviations = &rv;
	in.ndeviations = 1;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 6600000);
	CHECK(payroll_days(&in, days, &err) == 0);
	CHECK_INT(days[0].nrows, 1);
	CHECK_INT(days[0].rows[0].hours, 800);
	/* 10 h: 2 beyond the plan, past the norm: 2 x 2 x 250 on top */
	rv.hours = 1000;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.total, 6700000);
	CHECK(payroll_days(&in, days, &err) == 0);
	CHECK_INT(days[0].rows[0].hours, 1000);
}

/* A new group of salary lines (a change of pay terms) is rounded on its own. */
TEST(test_rounding_groups)
{
	struct payroll_assignment as[3] = {{date_from_ymd(2025, 1, 1), 0},
	                                   {date_from_ymd(2025, 4, 2), 0},
	                                   {date_from_ymd(2025, 4, 3), 0}};
	int starts[1] = {date_from_ymd(2025, 4, 3)};
	struct payroll_input in;
	struct payroll_result r;
	struct payroll_error err;

	memset(&in, 0, sizeof(in));
	in.year = 2025;
	in.month = 4;
	in.calendar = ru;
	in.schedules = &seed_schedules[1];
	in.nschedules = 1;
	in.terms.rate = 5000000;
	in.terms.hired = in.terms.dismissed = DATE_NONE;
	in.assignments = as;
	in.nassignments = 3;
	in.norm = PAYROLL_NORM_SUMMED;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.lines[0].amount, 227273);
	CHECK_INT(r.lines[1].amount, 227272);
	CHECK_INT(r.lines[2].amount, 4545455);
	CHECK_INT(r.total, 5000000);
	/* the third line starts a group: rounded alone, 20/22 -> 45 454.55; the
	 * first two still add up: 4 545.45 */
	in.group_starts = starts;
	in.ngroup_starts = 1;
	CHECK(payroll_run(&in, &r, &err) == 0);
	CHECK_INT(r.lines[0].amount + r.lines[1].amount, 454545);
	CHECK_INT(r.lines[2].amount, 4545455);
}

/* Issue 11 item 7: for generated months the T-13 of an input (payroll_days,
 * workday_totals) and the payroll of the same input agree: days and hours
 * worked, days of each whole-day code. */
TEST(test_property_t13_equals_payroll)
{
	static const int absences[] = {T13_B, T13_OT, T13_DO, T13_PR, T13_K, T13_NN};
	int iter, bad = 0, runs = 0;

	for (iter = 0; iter < 20000; iter++) {
		struct random_schedule rs[2];
		struct schedule sc[2];
		struct payroll_assignment as[2];
		struct payroll_deviation dv[6];
		struct payroll_time ts[80];
		struct payroll_input in;
		struct payroll_result r;
		struct payroll_error err;
		struct workday days[31];
		struct workday_totals t;
		int y = 2013 + rnd(14), m = 1 + rnd(12), i, nd = 0, nt = 0, used[31] = {0};
		int first = date_month_first(y, m), n = date_days_in_month(y, m);
		int32_t hours = 0;
		int wdays = 0, ok = 1;

		for (i = 0; i < 2; i++) {
			random_schedule(&rs[i]);
			sc[i] = rs[i].s;
		}
		as[0] = (struct payroll_assignment){first - rnd(200), 0};
		as[1] = (struct payroll_assignment){first + 1 + rnd(n - 1), 1};
		memset(&in, 0, sizeof(in));
		in.year = y;
		in.month = m;
		in.calendar = ru;
		in.schedules = sc;
		in.nschedules = 2;
		in.terms.rate = random_rate();
		in.terms.pay_by = rnd(2) ? PAYROLL_BY_DAYS : PAYROLL_BY_HOURS;
		in.terms.hired = rnd(4) ? DATE_NONE : first + rnd(n);
		in.terms.dismissed = rnd(4) ? DATE_NONE : first + n - 1 - rnd(5);
		if (in.terms.hired != DATE_NONE && in.terms.dismissed != DATE_NONE &&
		    in.terms.hired > in.terms.dismissed)
			in.terms.hired = in.terms.dismissed;
		in.assignments = as;
		in.nassignments = 2;
		in.norm = rnd(2) ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
		if (rnd(3)) {
			/* registration of deviations: whole days apart, hours elsewhere */
			for (i = 0; i < 3; i++) {
				int a = rnd(n), b = a + rnd(5), k, clash = 0;
				for (k = a; k <= b && k < n; k++)
					clash |= used[k];
				if (clash)
					continue;
				for (k = a; k <= b && k < n; k++)
					used[k] = 1;
				dv[nd++] = (struct payroll_deviation){
				    absences[rnd(6)], first + a, first + b, 0, 0, 0};
			}
			for (i = 0; i < 3; i++) {
				int k = rnd(n), e = first + k;
				static const int hc[] = {T13_S, T13_RV, T13_N};
				if (used[k] ||
				    (in.terms.hired != DATE_NONE && e < in.terms.hired) ||
				    (in.terms.dismissed != DATE_NONE && e > in.terms.dismissed))
					continue;
				used[k] = 1;
				dv[nd++] = (struct payroll_deviation){hc[rnd(3)],         e, e,
				                                      25 * (1 + rnd(16)), 0, 0};
			}
			in.deviations = dv;
			in.ndeviations = nd;
		} else {
			/* continuous registration: a day is work codes or one whole-day code */
			for (i = 0; i < n; i++) {
				int e = first + i;
				if ((in.terms.hired != DATE_NONE && e < in.terms.hired) ||
				    (in.terms.dismissed != DATE_NONE && e > in.terms.dismissed))
					continue;
				switch (rnd(5)) {
				case 0:
					ts[nt++] = (struct payroll_time){e, absences[rnd(6)], 0};
					break;
				case 1:
					break; /* nothing recorded */
				default:
					ts[nt++] = (struct payroll_time){e, T13_YA, 25 * rnd(49)};
					if (rnd(3) == 0)
						ts[nt++] = (struct payroll_time){
						    e, rnd(2) ? T13_S : T13_RV, 25 * (1 + rnd(16))};
				}
			}
			in.has_timesheet = 1;
			in.timesheet = ts;
			in.ntimesheet = nt;
		}
		/* С on a day off or РВ on a working day (workday_place()): the
		 * other code is the one that fits that date */
		for (int tries = 0; tries < 8 && payroll_run(&in, &r, &err) != 0 &&
		                    err.code == PAYROLL_E_CLASH && err.index >= 0;
		     tries++) {
			int *code = in.has_timesheet ? &ts[err.index].code : &dv[err.index].code;
			if (*code != T13_S && *code != T13_RV)
				break;
			*code = *code == T13_S ? T13_RV : T13_S;
		}
		if (payroll_run(&in, &r, &err) != 0)
			continue; /* nothing planned, no schedule for a row, over 24 h */
		CHECK(payroll_days(&in, days, &err) == 0);
		runs++;
		workday_totals(days, n, &t);
		for (i = 0; i < r.nlines; i++) {
			const struct payroll_line *l = &r.lines[i];
			if (l->kind == PAYROLL_LINE_SALARY)
				hours += l->worked_hours;
			else if (l->kind == PAYROLL_LINE_OVERTIME)
				hours += l->hours;
			else if (l->kind == PAYROLL_LINE_HOLIDAY_WORK)
				hours += l->hours - l->planned_hours;
		}
		wdays = r.summary.worked_days;
		ok &= t.hours[2] == hours && t.hours[2] == r.summary.worked_hours;
		ok &= t.days[2] == wdays;
		for (i = 1; i <= T13_COUNT; i++) {
			const struct t13_code *c = t13_get(i);
			if (c->cls == T13_CLASS_ABSENCE && i != T13_V)
				ok &= t.absence_days[i] == r.summary.absent_days[i];
		}
		if (!ok) {
			if (!bad)
				fprintf(stderr, "T-13 %d days %d h, payroll %d days %d h (%d)\n",
				        t.days[2], t.hours[2], wdays, hours,
				        r.summary.worked_hours);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(runs > 10000);
}

int main(void)
{
	ru = test_load_ru();
	if (ru == NULL)
		return 1;
	seed_setup();
	RUN(test_seed_examples);
	RUN(test_individual_schedule);
	RUN(test_paid_off_with_timesheet);
	RUN(test_errors);
	RUN(test_zero_norm);
	RUN(test_property_full_month_pays_rate);
	RUN(test_property_cutting_periods);
	RUN(test_property_rounding_half_up);
	RUN(test_holiday_planned_by_schedule);
	RUN(test_rounding_groups);
	RUN(test_property_t13_equals_payroll);
	RUN(test_10000_employees);
	calendar_free(ru);
	return check_report();
}
