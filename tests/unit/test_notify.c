/*
 * test_notify.c - every kind of notification has an SMS of one Cyrillic
 * segment (notify.h: NOTIFY_SMS_MAX characters), with the service's name
 * kept, even with a 7-digit request number and each kind's longest detail.
 */
#include "arena.h"
#include "check.h"
#include "notify.h"

#include <stdio.h>
#include <string.h>

/* the details each kind is given (requests.c, routing.c, hrtasks.c) */
static const struct {
	const char *kind;
	const char *details[10];
} notify_cases[] = {
    {"task_new", {"согласование", "исполнение", "22.11.2026", NULL}},
    {"task_reminder", {"22.11.2026 18:00", NULL}},
    {"task_escalated", {NULL}},
    {"request_state",
     {"отправлена исполнителю", "отправлена на согласование", "согласована и ждёт исполнителя",
      "отклонена", "взята в работу", "выполнена", "отозвана", NULL}},
    {"request_forwarded", {NULL}},
    {"task_overdue", {NULL}},
    {"hr_task_done", {NULL}},
    {"hr_task_cancelled", {NULL}},
};

TEST(every_kind_fits_one_segment)
{
	const char *prefix = "Кабинет сотрудника: ";
	struct arena *a = arena_new();
	size_t ncases = sizeof(notify_cases) / sizeof(notify_cases[0]);

	/* every kind notify() knows has its case */
	for (const char *const *k = notify_kinds; *k; k++) {
		size_t c = 0;
		while (c < ncases && strcmp(notify_cases[c].kind, *k) != 0)
			c++;
		if (c == ncases)
			fprintf(stderr, "no case for %s\n", *k);
		CHECK(c < ncases);
	}
	for (size_t c = 0; c < ncases; c++) {
		/* each detail, and none (an HR task's, a kind without one) */
		for (int d = -1; d < 10 && (d < 0 || notify_cases[c].details[d]); d++) {
			const char *detail = d < 0 ? NULL : notify_cases[c].details[d];
			for (int64_t number = 0; number <= 9999999; number = number * 10 + 9) {
				const char *sms =
				    notify_sms(a, notify_cases[c].kind, number, detail);
				size_t n = notify_chars(sms);
				if (n > NOTIFY_SMS_MAX || strncmp(sms, prefix, strlen(prefix)) != 0)
					fprintf(stderr, "%s: %zu: %s\n", notify_cases[c].kind, n,
					        sms);
				CHECK(n <= NOTIFY_SMS_MAX);
				CHECK(strncmp(sms, prefix, strlen(prefix)) == 0);
			}
		}
	}
	CHECK_STR(notify_sms(a, "request_state", 12, "согласована и ждёт исполнителя"),
	          "Кабинет сотрудника: заявка № 12 согласована и ждёт исполнителя");
	CHECK_STR(notify_sms(a, "task_new", 7, "согласование"),
	          "Кабинет сотрудника: новая задача по заявке № 7: согласование");
	arena_free(a);
}

TEST(a_text_too_long_is_cut_to_one_segment)
{
	struct arena *a = arena_new();
	const char *sms = notify_sms(a, "request_state", 1,
	                             "очень длинная фраза, которой в сервисе нет, "
	                             "но если бы была, SMS осталось бы одно");

	CHECK(notify_chars(sms) == NOTIFY_SMS_MAX);
	CHECK(strcmp(sms + strlen(sms) - strlen("…"), "…") == 0);
	arena_free(a);
}

int main(void)
{
	RUN(every_kind_fits_one_segment);
	RUN(a_text_too_long_is_cut_to_one_segment);
	return check_report();
}
