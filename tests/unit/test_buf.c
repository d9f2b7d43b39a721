#include "buf.h"
#include "check.h"

#include <stdlib.h>

TEST(test_append_and_printf)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "abc");
	buf_printf(&b, "-%d-", 42);
	CHECK_STR(b.data, "abc-42-");
	CHECK_INT(b.len, 7);
	buf_consume(&b, 4);
	CHECK_STR(b.data, "42-");
	buf_free(&b);
}

TEST(test_html_escape)
{
	struct buf b = BUF_INIT;
	const char *s = "<a href=\"x\">O'Neil & Co</a>";

	buf_put_html(&b, s, strlen(s));
	CHECK_STR(b.data, "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; Co&lt;/a&gt;");
	buf_free(&b);
}

TEST(test_grows_past_many_pages)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	CHECK_INT(b.len, 100000);
	CHECK_INT(b.data[b.len], 0);
	free(buf_detach(&b));
	CHECK(b.data == NULL);
}

TEST(test_hex_encode)
{
	const unsigned char in[] = {0x00, 0x0f, 0xa5, 0xff};
	char out[2 * sizeof(in) + 1];

	memset(out, '#', sizeof(out));
	hex_encode(out, in, sizeof(in));
	CHECK_STR(out, "000fa5ff");
	hex_encode(out, in, 0);
	CHECK_STR(out, "");
}

int main(void)
{
	RUN(test_append_and_printf);
	RUN(test_html_escape);
	RUN(test_grows_past_many_pages);
	RUN(test_hex_encode);
	return check_report();
}
