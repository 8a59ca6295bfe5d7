#define G_LOG_DOMAIN "fuzz-provider-stooq"

#include "config.h"

#include <math.h>

#include "fuzz-provider.h"

/* libFuzzer target: arbitrary bytes as a stored stooq response, parsed as a quote and as daily
 * bars. Criticals abort (G_DEBUG=fatal-criticals in run-fuzzers.sh), so a json-glib assertion on
 * a wrong-shaped body is a finding like a crash. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_provider_parse ("stooq", data, size);

  return 0;
}
