/*
 * fuzz_jobnet.c — libFuzzer target for Jobnet job search pages (FORMATS.md
 * section 7, storage/batch_jobnet.c): the bytes go through the table of
 * batch kinds (batch_recognise, then the kind's parse) from memory and
 * through a FILE, and the sink checks every job handed to it and every
 * skipped job's report (see fuzz_batch.h). Seeds are in corpus/jobnet/,
 * field names and values in jobnet.dict.
 */
#include "fuzz_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_batch_one(data, size);
    return 0;
}
