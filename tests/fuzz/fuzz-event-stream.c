#define G_LOG_DOMAIN "fuzz-event-stream"

#include "config.h"

#include "fuzz-glib.h"

#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-converse-result.h"
#include "bedrock/sextant-event-stream-decoder.h"

/* libFuzzer target: arbitrary bytes as a ConverseStream body. The first byte chooses where the
 * input is split, so incremental buffering is exercised too; every decoded frame goes through
 * the result accumulator, as in the client. Must never crash, leak or trip a sanitizer. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(SextantEventStreamDecoder) decoder = sextant_event_stream_decoder_new ();
  g_autoptr(SextantConverseResult) result = sextant_converse_result_new ();
  g_autoptr(GError) error = NULL;
  SextantEventStreamMessage *msg;
  size_t split;

  fuzz_glib_init ();
  if (size == 0)
    return 0;
  split = data[0] % size;
  data++;
  size--;
  sextant_event_stream_decoder_feed (decoder, data, MIN (split, size));
  sextant_event_stream_decoder_feed (decoder, data + MIN (split, size), size - MIN (split, size));
  while (error == NULL && (msg = sextant_event_stream_decoder_next (decoder, &error)) != NULL)
    {
      sextant_converse_result_handle_message (result, msg, &error);
      sextant_event_stream_message_unref (msg);
    }
  if (error == NULL)
    sextant_converse_result_end_stream (result, sextant_event_stream_decoder_get_pending (decoder), &error);

  return 0;
}
