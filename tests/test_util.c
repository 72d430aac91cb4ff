/*
 * test_util.c — a text cut to fit a fixed buffer (a staff message, a file
 * name from a stick) is never cut inside a character: at every buffer size
 * the copy is valid UTF-8, a prefix of the text, and says it was cut ("…").
 * snprintf, which the kiosk used before, cuts bytes and leaves half a
 * character at most of these sizes.
 */
#include "test.h"

#include "util.h"

int main(void)
{
    /* 1-, 2-, 3- and 4-byte characters: Danish, Arabic, Ethiopic, an emoji. */
    const char *src = "Kø ير ሰላም 😀 /media/USB-nøgle/skranke/inbox/jobs-æøå.json";
    size_t n = strlen(src);
    int cut_inside_by_snprintf = 0;
    for (size_t cap = 1; cap <= n + 2; cap++) {
        char dst[256], naive[256];
        memset(dst, 'x', sizeof dst);
        bool whole = utf8_copy(dst, cap, src);
        size_t len = strlen(dst);
        CHECK(len < cap);
        CHECK(utf8_valid(dst, len));
        CHECK(whole == (cap > n));
        if (whole) {
            CHECK_STR(dst, src);
            continue;
        }
        /* A prefix of src, then "…" when there was room for it. */
        const char *ell = "\xE2\x80\xA6";
        size_t body = len >= 3 && strcmp(dst + len - 3, ell) == 0 ? len - 3 : len;
        CHECK(memcmp(dst, src, body) == 0);
        CHECK(cap < 4 || body < len);
        snprintf(naive, cap, "%s", src);
        cut_inside_by_snprintf += !utf8_valid(naive, strlen(naive));
    }
    CHECK(cut_inside_by_snprintf > 0); /* the defect this replaces */
    char tiny[1];
    CHECK(!utf8_copy(tiny, sizeof tiny, "æ") && tiny[0] == '\0');
    TEST_END();
}
