/*
 * test_record.c — records come back exactly as written, and damaged bytes
 * (every truncation, every single-byte change, random noise) are refused
 * without crashing.
 */
#include "test.h"

#include "record.h"

static struct response sample_response(void)
{
    struct response r = {.answers = {1, 5, 0, 3}};
    store_new_id(r.id);
    strcpy(r.date, "2026-11-24");
    strcpy(r.site, "jobcenter-slagelse");
    strcpy(r.unit, "Sygedagpenge – Ældre");
    strcpy(r.language, "uk");
    return r;
}

int main(void)
{
    struct buf b;
    buf_init(&b);

    struct response r = sample_response(), back;
    rec_encode_response(&b, &r);
    CHECK(rec_decode_response(b.data, b.len, &back));
    CHECK(memcmp(&r, &back, sizeof r) == 0);

    /* Every truncation fails; so does one byte too many. */
    bool all_refused = true;
    for (size_t n = 0; n < b.len; n++)
        all_refused = all_refused && !rec_decode_response(b.data, n, &back);
    CHECK(all_refused);
    buf_putc(&b, 'x');
    CHECK(!rec_decode_response(b.data, b.len, &back));
    b.len--;
    /* A wrong type or version byte is refused. */
    b.data[0] = 'C';
    CHECK(!rec_decode_response(b.data, b.len, &back));
    b.data[0] = 'R';
    b.data[1] = 99;
    CHECK(!rec_decode_response(b.data, b.len, &back));
    b.data[1] = 1;
    /* An answer out of range is refused. */
    struct response bad = r;
    bad.answers[2] = 9;
    rec_encode_response(&b, &bad);
    CHECK(!rec_decode_response(b.data, b.len, &back));

    struct checkin c = {.kind = CHECKIN_WALKIN};
    store_new_id(c.id);
    strcpy(c.date, "2026-11-24");
    strcpy(c.time, "09:41");
    strcpy(c.site, "demo-site");
    strcpy(c.ticket, "B014");
    strcpy(c.result, "ok");
    struct checkin cback;
    rec_encode_checkin(&b, &c);
    CHECK(rec_decode_checkin(b.data, b.len, &cback));
    CHECK(memcmp(&c, &cback, sizeof c) == 0);

    struct job j = {.index = 7, .id = "S-1", .title = "Chauffør", .employer = "A/S",
                    .city = "Korsør", .postcode = "", .category = "Transport",
                    .posted = "", .deadline = "2026-12-01", .summary = "Linje 1\nLinje 2",
                    .url = "https://example.org/1", .language = "da",
                    .hours = JOB_HOURS_PART, .kind = JOB_KIND_FLEXJOB};
    struct job jback;
    rec_encode_job(&b, &j);
    CHECK(rec_decode_job(b.data, b.len, &jback));
    CHECK(jback.index == 7 && jback.hours == JOB_HOURS_PART && jback.kind == JOB_KIND_FLEXJOB);
    CHECK_STR(jback.city, "Korsør");
    CHECK_STR(jback.summary, "Linje 1\nLinje 2");

    char parts[2][7] = {"Q4TZ7A", "M2K9PD"};
    struct session s = {.n_participants = 2, .participants = (const char(*)[7])parts};
    strcpy(s.id, "cv-1124");
    strcpy(s.title, "CV-værksted");
    strcpy(s.start, "10:00");
    struct session sback;
    rec_encode_session(&b, &s);
    CHECK(rec_decode_session(b.data, b.len, &sback));
    CHECK(sback.n_participants == 2);
    CHECK_STR(sback.participants[1], "M2K9PD");

    /* Noise and single-byte flips never crash a decoder (ASan watches). */
    unsigned char noise[512];
    srand(42);
    struct export_log e;
    struct appointment a;
    struct jobs_info ji;
    struct schedule_info si;
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(rand() % (int)sizeof noise);
        for (size_t i = 0; i < n; i++)
            noise[i] = (unsigned char)rand();
        if (n >= 2 && round % 2) {
            const char types[] = "RCJASEID";
            noise[0] = (unsigned char)types[rand() % 8];
            noise[1] = 1;
        }
        rec_decode_response(noise, n, &back);
        rec_decode_checkin(noise, n, &cback);
        rec_decode_job(noise, n, &jback);
        rec_decode_session(noise, n, &sback);
        rec_decode_appointment(noise, n, &a);
        rec_decode_export(noise, n, &e);
        rec_decode_jobs_info(noise, n, &ji);
        rec_decode_schedule_info(noise, n, &si);
    }
    rec_encode_job(&b, &j);
    int accepted_flips = 0;
    for (size_t i = 0; i < b.len; i++) {
        char saved = b.data[i];
        b.data[i] = (char)(saved ^ 0x80);
        accepted_flips += rec_decode_job(b.data, b.len, &jback);
        b.data[i] = saved;
    }
    /* Flips inside text bytes may still decode (the text changes); flips in
     * the structure must not. At most the text bytes can pass. */
    CHECK(accepted_flips < (int)b.len / 2 + 20);
    buf_free(&b);
    TEST_END();
}
