/*
 * fuzz_schedule.c — libFuzzer target for schedule batches (FORMATS.md
 * section 2): the same driver and sink as fuzz_jobs.c (fuzz_batch.h), but
 * started from schedule seeds (corpus/schedule/) and schedule.dict, so that
 * it spends its time in appointments, sessions and participant lists.
 */
#include "fuzz_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_batch_one(data, size);
    return 0;
}
