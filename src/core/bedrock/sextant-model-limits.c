#define G_LOG_DOMAIN "sextant-model-limits"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-model-limits.h"

/* Per-family figures from the Bedrock and Anthropic model documentation (December 2026). A
 * pattern matches any id containing it, so the plain id, its `us.`/`eu.`/`global.` profiles and
 * ARNs share an entry; the first match wins, so longer patterns come first. */

typedef struct
{
  const char *pattern;
  int         max_output;      /* the largest maxTokens the model accepts */
  guint       burndown;        /* quota tokens each output token takes */
  guint       cache_min;       /* smallest cacheable prefix in tokens; 0: no prompt caching */
  gboolean    caches_tools;    /* a cachePoint may follow the tool specs */
} ModelLimits;

static const ModelLimits families[] = {
  { "anthropic.claude-3-haiku", 4096, 1, 0, FALSE },
  { "anthropic.claude-3-5-haiku", 8192, 1, 2048, TRUE },
  { "anthropic.claude-3-5-sonnet", 8192, 1, 0, FALSE },
  { "anthropic.claude-3-opus", 4096, 1, 0, FALSE },
  /* Claude 3.7 and the 4 family: output tokens burn the quota five times over. */
  { "anthropic.claude-3-7-sonnet", 64000, 5, 1024, TRUE },
  { "anthropic.claude-haiku-4-5", 64000, 5, 4096, TRUE },
  { "anthropic.claude-opus-4-5", 64000, 5, 4096, TRUE },
  { "anthropic.claude-opus-4-6", 64000, 5, 4096, TRUE },
  { "anthropic.claude-opus-4", 32000, 5, 1024, TRUE },
  { "anthropic.claude-sonnet-4", 64000, 5, 1024, TRUE },
  /* Nova caches the system prompt and messages, not tools. */
  { "amazon.nova-micro", 5000, 1, 1000, FALSE },
  { "amazon.nova-lite", 5000, 1, 1000, FALSE },
  { "amazon.nova-pro", 5000, 1, 1000, FALSE },
  { "amazon.nova-premier", 5000, 1, 1000, FALSE },
};

/* An unknown model: no caching, no burndown assumed, and an output limit every Bedrock text
 * model accepts. */
static const ModelLimits unknown = { NULL, 4096, 1, 0, FALSE };

static const ModelLimits *
find (const char *model_id)
{
  for (guint i = 0; model_id != NULL && i < G_N_ELEMENTS (families); i++)
    if (strstr (model_id, families[i].pattern) != NULL)
      return &families[i];

  return &unknown;
}

/**
 * sextant_model_limits_max_output:
 * @model_id: (nullable): a model id, inference profile id or ARN
 *
 * Returns: the largest `maxTokens` the model accepts (4,096 for a model not known here)
 */
int
sextant_model_limits_max_output (const char *model_id)
{
  return find (model_id)->max_output;
}

/**
 * sextant_model_limits_output_burndown:
 * @model_id: (nullable): a model id
 *
 * Bedrock reserves `input + maxTokens × burndown` of the tokens-per-minute quota when a request
 * starts; for Claude 3.7 and the Claude 4 family each output token counts five times.
 *
 * Returns: 5 for those models, else 1
 */
guint
sextant_model_limits_output_burndown (const char *model_id)
{
  return find (model_id)->burndown;
}

/**
 * sextant_model_limits_cache_min_tokens:
 * @model_id: (nullable): a model id
 * @caches_tools: (out) (optional): whether a cache point may follow the tool specs
 *
 * Returns: the fewest tokens a cached prefix must hold (1,024 to 4,096 depending on the model),
 *   or 0 when the model does not cache prompts
 */
guint
sextant_model_limits_cache_min_tokens (const char *model_id,
                                       gboolean   *caches_tools)
{
  const ModelLimits *limits = find (model_id);

  if (caches_tools != NULL)
    *caches_tools = limits->caches_tools;

  return limits->cache_min;
}

/**
 * sextant_model_limits_size_max_tokens:
 * @model_id: (nullable): the model
 * @question_tokens: the estimated tokens of the question being answered
 * @tool_result_tokens: the estimated tokens of tool results this round answers from (0 for the
 *   first round of a question)
 * @ceiling: the most the caller allows (the agent's `max-tokens`); ≤ 0 for no limit of its own
 *
 * `maxTokens` sized to the request rather than a fixed large value: quota is reserved from it
 * before a token is written, so a request that asks for 8,192 on a Claude 4 model holds 40,960
 * tokens of the per-minute quota however short its answer, and a few such requests throttle the
 * account. A chat answer or a round of tool calls fits in 1,024 tokens; a long question and an
 * answer drawn from tool results get room in proportion (the question's length, half the
 * results' length), within the model's own limit and @ceiling.
 *
 * Returns: the `maxTokens` to send, at least 256 (or the model's or caller's limit if lower)
 */
int
sextant_model_limits_size_max_tokens (const char *model_id,
                                      gint64      question_tokens,
                                      gint64      tool_result_tokens,
                                      int         ceiling)
{
  int limit = sextant_model_limits_max_output (model_id);
  gint64 size = SEXTANT_MAX_TOKENS_BASE;

  if (ceiling > 0)
    limit = MIN (limit, ceiling);
  /* Bounded before adding: the estimates come from stored text of any length. */
  size += CLAMP (question_tokens, 0, 4 * SEXTANT_MAX_TOKENS_BASE);
  size += CLAMP (tool_result_tokens, 0, 16 * SEXTANT_MAX_TOKENS_BASE) / 2;
  size = MAX (size, SEXTANT_MAX_TOKENS_FLOOR);

  return (int) MIN (size, (gint64) limit);
}

/**
 * sextant_model_limits_quota_reserved:
 * @model_id: (nullable): the model
 * @input_tokens: the request's estimated input tokens
 * @max_tokens: its `maxTokens`
 *
 * Returns: the tokens-per-minute quota the request holds while it runs
 */
gint64
sextant_model_limits_quota_reserved (const char *model_id,
                                     gint64      input_tokens,
                                     int         max_tokens)
{
  return MAX (input_tokens, 0) + (gint64) MAX (max_tokens, 0) * sextant_model_limits_output_burndown (model_id);
}
