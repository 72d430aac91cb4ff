/*
 * fuzz_jobs.c — libFuzzer target for job openings batches (FORMATS.md
 * section 1): the bytes go to batch_parse() from memory and through a FILE,
 * and a sink checks every job it is handed (see fuzz_batch.h). Seeds are in
 * corpus/jobs/, field names and values in jobs.dict.
 */
#include "fuzz_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_batch_one(data, size);
    return 0;
}
