#pragma once

#include <glib.h>

#include "agent/sextant-model-prices.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantSpendingRow:
 * @day: the UTC day, `YYYY-MM-DD`
 * @model: (nullable): the model id, %NULL for the offline analyst
 * @role: (nullable): the role id
 * @requests: invocations (assistant turns)
 * @input_tokens: input tokens, not counting the prompt cache's
 * @output_tokens: output tokens
 * @cache_read_tokens: input tokens read from the prompt cache
 * @cache_write_tokens: input tokens written to it
 * @cost_usd: the estimate in US dollars from the price table; NaN when the model has no price
 *
 * What one model cost in one role on one day.
 */
typedef struct
{
  char   *day;
  char   *model;
  char   *role;
  gint64  requests;
  gint64  input_tokens;
  gint64  output_tokens;
  gint64  cache_read_tokens;
  gint64  cache_write_tokens;
  double  cost_usd;
} SextantSpendingRow;

/**
 * SextantSpendingLevel:
 * @SEXTANT_SPENDING_OK: under 80 % of every limit, or no limit set
 * @SEXTANT_SPENDING_WARNING: at 80 % of a limit or more
 * @SEXTANT_SPENDING_STOP: at or over a limit
 */
typedef enum
{
  SEXTANT_SPENDING_OK,
  SEXTANT_SPENDING_WARNING,
  SEXTANT_SPENDING_STOP,
} SextantSpendingLevel;

#define SEXTANT_SPENDING_WARNING_SHARE 0.8

/**
 * SextantSpendingStatus:
 * @level: the highest level either limit reached
 * @month_spent: this UTC month's estimate in US dollars
 * @month_limit: the monthly limit, 0 for none
 * @conversation_spent: the conversation's estimate
 * @conversation_limit: the per-conversation limit, 0 for none
 * @conversation_reached: %TRUE when @level comes from the conversation's limit
 */
typedef struct
{
  SextantSpendingLevel level;
  double               month_spent;
  double               month_limit;
  double               conversation_spent;
  double               conversation_limit;
  gboolean             conversation_reached;
} SextantSpendingStatus;

void        sextant_spending_row_free      (SextantSpendingRow     *row);
gboolean    sextant_spending_parse_month   (const char             *month,
                                            gint64                 *since,
                                            gint64                 *until,
                                            GError                **error);
GPtrArray  *sextant_spending_by_day        (SextantStore           *store,
                                            SextantModelPrices     *prices,
                                            gint64                  since,
                                            gint64                  until,
                                            GError                **error);
double      sextant_spending_total         (SextantStore           *store,
                                            SextantModelPrices     *prices,
                                            gint64                  since,
                                            gint64                  until,
                                            gint64                  conversation_id,
                                            GError                **error);
gboolean    sextant_spending_check         (SextantStore           *store,
                                            SextantModelPrices     *prices,
                                            double                  monthly_limit,
                                            double                  conversation_limit,
                                            gint64                  conversation_id,
                                            gint64                  now,
                                            SextantSpendingStatus  *status,
                                            GError                **error);
char       *sextant_spending_describe      (const SextantSpendingStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantSpendingRow, sextant_spending_row_free)

G_END_DECLS
