#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What Sextant knows of each Bedrock model family's limits: its largest answer, how fast its
 * output burns the tokens-per-minute quota, and the smallest prompt prefix it caches. */

#define SEXTANT_MAX_TOKENS_FLOOR 256
#define SEXTANT_MAX_TOKENS_BASE 1024

int      sextant_model_limits_max_output        (const char *model_id);
guint    sextant_model_limits_output_burndown   (const char *model_id);
guint    sextant_model_limits_cache_min_tokens  (const char *model_id,
                                                 gboolean   *caches_tools);
int      sextant_model_limits_size_max_tokens   (const char *model_id,
                                                 gint64      question_tokens,
                                                 gint64      tool_result_tokens,
                                                 int         ceiling);
gint64   sextant_model_limits_quota_reserved    (const char *model_id,
                                                 gint64      input_tokens,
                                                 int         max_tokens);

G_END_DECLS
