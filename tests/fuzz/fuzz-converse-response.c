#define G_LOG_DOMAIN "fuzz-converse-response"

#include "config.h"

#include "fuzz-glib.h"

#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-converse-result.h"
#include "bedrock/sextant-event-stream-decoder.h"

/* libFuzzer target: arbitrary bytes as a Converse response body, plus the HTTP error parser
 * on the same bytes. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) http = NULL;

  fuzz_glib_init ();
  sextant_converse_result_load_response (result, (const char *)data, size, &error);
  http = sextant_bedrock_error_new_from_response (400, NULL, (const char *)data, size, NULL, "us-east-1", "m:0");

  return 0;
}
