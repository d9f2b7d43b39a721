/* workday.h: T-13 rows of a day from the plan and deviations, the form's
 * totals and cell texts. */
#include "check.h"
#include "workday.h"

#include <string.h>

static struct workday planned(int32_t hours, int32_t night)
{
	struct workday d = {0};

	d.flags = WORKDAY_EMPLOYED | WORKDAY_PLANNED;
	d.plan_hours = hours;
	d.plan_night = night;
	workday_plan(&d);
	return d;
}

static void cell(const struct workday *d, const char *codes, const char *hours)
{
	char c[64], h[64];

	workday_cell(d, c, sizeof(c), h, sizeof(h));
	CHECK_STR(c, codes);
	CHECK_STR(h, hours);
}

TEST(test_plan_rows)
{
	struct workday d = planned(800, 0);

	CHECK_INT(d.nrows, 1);
	CHECK_INT(d.rows[0].code, T13_YA);
	CHECK_INT(d.rows[0].hours, 800);
	cell(&d, "Я", "8");
	/* night hours inside the day: Я keeps the whole day */
	d = planned(1200, 800);
	CHECK_INT(d.nrows, 2);
	CHECK_INT(workday_find(&d, T13_YA)->hours, 1200);
	CHECK_INT(workday_find(&d, T13_N)->hours, 800);
	cell(&d, "Я/Н", "12/8");
	d = planned(0, 0);
	cell(&d, "В", "");
	d = planned(720, 0);
	cell(&d, "Я", "7,2");
}

TEST(test_deviations)
{
	struct workday d = planned(800, 200);

	workday_deviation(&d, T13_B, 1, 0, 12);
	CHECK_INT(d.nrows, 1);
	CHECK_INT(d.rows[0].code, T13_B);
	CHECK_INT(d.deviation_id, 12);
	cell(&d, "Б", "");
	/* overtime adds to the day, twice summed */
	d = planned(800, 0);
	workday_deviation(&d, T13_S, 0, 100, 0);
	workday_deviation(&d, T13_S, 0, 150, 0);
	CHECK_INT(workday_find(&d, T13_S)->hours, 250);
	cell(&d, "Я/С", "8/2,5");
	/* work on a day off replaces В; extra night hours add to the plan's */
	d = planned(0, 0);
	workday_deviation(&d, T13_RV, 0, 600, 0);
	cell(&d, "РВ", "6");
	d = planned(800, 200);
	workday_deviation(&d, T13_N, 0, 100, 0);
	CHECK_INT(workday_find(&d, T13_N)->hours, 300);
	/* never more rows than the day holds */
	d = (struct workday){0};
	for (int c = 1; c <= 20; c++)
		workday_add(&d, c, 1);
	CHECK_INT(d.nrows, WORKDAY_MAX_ROWS);
	workday_remove(&d, 1);
	CHECK_INT(d.nrows, WORKDAY_MAX_ROWS - 1);
	CHECK(workday_find(&d, 1) == NULL);
}

TEST(test_totals)
{
	struct workday days[30];
	struct workday_totals t;

	/* April 2025 shape: Tuesday first; weekends off; sick 14-16; 2 h
	 * overtime on the 17th; 4 h on Saturday the 5th; the 30th is 7 h */
	for (int i = 0; i < 30; i++) {
		int dow = (i + 1) % 7; /* 0 = Monday for 1 April 2025 (Tuesday) -> 1 */
		days[i] = planned(dow >= 5 ? 0 : (i == 29 ? 700 : 800), 0);
	}
	for (int i = 13; i <= 15; i++)
		workday_deviation(&days[i], T13_B, 1, 0, 1);
	workday_deviation(&days[16], T13_S, 0, 200, 0);
	workday_deviation(&days[4], T13_RV, 0, 400, 0);
	workday_totals(days, 30, &t);
	CHECK_INT(t.days[2], 20);
	CHECK_INT(t.hours[2], 15700);
	CHECK_INT(t.days[0] + t.days[1], t.days[2]);
	CHECK_INT(t.hours[0] + t.hours[1], t.hours[2]);
	CHECK_INT(t.days[0], 10); /* 1-15: 11 weekdays - 2 sick (14, 15) + Saturday 5 */
	CHECK_INT(t.absence_days[T13_B], 3);
	CHECK_INT(t.absence_hours[T13_B], 0);
	CHECK_INT(t.days_off, 7); /* 8 weekend days, one of them worked */
	CHECK(workday_worked_code(T13_VM));
	CHECK(!workday_worked_code(T13_N));
}

TEST(test_cell_bounds)
{
	struct workday d = {0};
	char c[4], h[4];

	workday_add(&d, T13_YA, 800);
	workday_add(&d, T13_N, 250);
	workday_add(&d, T13_S, 100);
	workday_cell(&d, c, sizeof(c), h, sizeof(h));
	CHECK(strlen(c) < sizeof(c));
	CHECK(strlen(h) < sizeof(h));
}

/* The 24-hour count (night hours are inside the work) and the art. 124
 * overlay both ways. */
TEST(test_day_hours_and_sharing)
{
	struct workday d = {0};

	workday_add(&d, T13_YA, 800);
	workday_add(&d, T13_N, 600);
	workday_add(&d, T13_S, 1600);
	CHECK_INT(workday_rows_hours(d.rows, d.nrows), 2400);
	workday_add(&d, T13_S, 1);
	CHECK(workday_rows_hours(d.rows, d.nrows) > WORKDAY_MAX_HOURS);
	CHECK(workday_may_share(T13_B, T13_OT) && workday_may_share(T13_OT, T13_B));
	CHECK(workday_may_share(T13_OD, T13_B));
	CHECK(!workday_may_overlay(T13_OT, T13_B));
	CHECK(!workday_may_share(T13_DO, T13_B) && !workday_may_share(T13_OT, T13_DO));
}

int main(void)
{
	RUN(test_plan_rows);
	RUN(test_deviations);
	RUN(test_totals);
	RUN(test_cell_bounds);
	RUN(test_day_hours_and_sharing);
	return check_report();
}
