#pragma once

#include <json-glib/json-glib.h>

#include "bedrock/sextant-converse-message.h"
#include "bedrock/sextant-event-stream-message.h"

G_BEGIN_DECLS

/**
 * SextantConverseUsage:
 * @input_tokens: `usage.inputTokens`
 * @output_tokens: `usage.outputTokens`
 * @total_tokens: `usage.totalTokens`
 * @cache_read_tokens: `usage.cacheReadInputTokens` (0 when absent)
 * @cache_write_tokens: `usage.cacheWriteInputTokens` (0 when absent)
 */
typedef struct
{
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 total_tokens;
  gint64 cache_read_tokens;
  gint64 cache_write_tokens;
} SextantConverseUsage;

#define SEXTANT_TYPE_CONVERSE_RESULT (sextant_converse_result_get_type ())

G_DECLARE_FINAL_TYPE (SextantConverseResult, sextant_converse_result, SEXTANT, CONVERSE_RESULT, GObject)

SextantConverseResult      *sextant_converse_result_new                (void);
SextantConverseMessage     *sextant_converse_result_get_message        (SextantConverseResult      *self);
const char                 *sextant_converse_result_get_partial_text   (SextantConverseResult      *self);
const char                 *sextant_converse_result_get_stop_reason    (SextantConverseResult      *self);
gboolean                    sextant_converse_result_stop_reason_is_known (SextantConverseResult    *self);
const SextantConverseUsage *sextant_converse_result_get_usage          (SextantConverseResult      *self);
gint64                      sextant_converse_result_get_latency_ms     (SextantConverseResult      *self);
const char                 *sextant_converse_result_get_region         (SextantConverseResult      *self);
const char                 *sextant_converse_result_get_model_id       (SextantConverseResult      *self);
const char                  *sextant_converse_result_get_request_id    (SextantConverseResult      *self);
gboolean                    sextant_converse_result_is_complete        (SextantConverseResult      *self);
guint                       sextant_converse_result_get_n_events       (SextantConverseResult      *self);
gint64                      sextant_converse_result_get_first_event_time (SextantConverseResult    *self);
gboolean                    sextant_converse_result_load_response      (SextantConverseResult      *self,
                                                                        const char                 *data,
                                                                        gsize                       len,
                                                                        GError                    **error);
gboolean                    sextant_converse_result_handle_message     (SextantConverseResult      *self,
                                                                        SextantEventStreamMessage  *message,
                                                                        GError                    **error);
gboolean                    sextant_converse_result_end_stream         (SextantConverseResult      *self,
                                                                        gsize                       pending_bytes,
                                                                        GError                    **error);
JsonNode                   *sextant_converse_result_to_json            (SextantConverseResult      *self);
void                        _sextant_converse_result_set_context       (SextantConverseResult      *self,
                                                                        const char                 *region,
                                                                        const char                 *model_id,
                                                                        const char                 *request_id);
void                        _sextant_converse_result_reset             (SextantConverseResult      *self);
void                        _sextant_converse_result_retrying          (SextantConverseResult      *self,
                                                                        guint                       failed_attempt,
                                                                        guint                       max_attempts,
                                                                        guint                       delay_ms,
                                                                        const GError               *error);

G_END_DECLS
