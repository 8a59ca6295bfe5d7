#pragma once

#include <glib-object.h>

#include "market/sextant-portfolio.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_SAVED_RESULT (sextant_saved_result_get_type ())

/**
 * SextantSavedResult:
 * @result_id: the result's row id
 * @job_id: the job's row id
 * @portfolio: (nullable): the portfolio's name when the job belongs to one
 * @kind: what was computed (`optimize.min-variance`, `risk.var`, …)
 * @parameters: the parameters as JSON text
 * @inputs: the inputs (symbols, dates, prices or their source) as JSON text
 * @result: the result as JSON text
 * @created_at: unix seconds
 *
 * A saved optimization or risk result together with everything needed to run it again.
 */
typedef struct
{
  gint64  result_id;
  gint64  job_id;
  char   *portfolio;
  char   *kind;
  char   *parameters;
  char   *inputs;
  char   *result;
  gint64  created_at;
} SextantSavedResult;

GType               sextant_saved_result_get_type (void) G_GNUC_CONST;
SextantSavedResult *sextant_saved_result_copy     (const SextantSavedResult *self);
void                sextant_saved_result_free     (SextantSavedResult       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantSavedResult, sextant_saved_result_free)

#define SEXTANT_TYPE_PORTFOLIO_STORE (sextant_portfolio_store_get_type ())

G_DECLARE_FINAL_TYPE (SextantPortfolioStore, sextant_portfolio_store, SEXTANT, PORTFOLIO_STORE, GObject)

SextantPortfolioStore *sextant_portfolio_store_new          (SextantStore           *store);
gboolean               sextant_portfolio_store_save         (SextantPortfolioStore  *self,
                                                             SextantPortfolio       *portfolio,
                                                             GError                **error);
SextantPortfolio      *sextant_portfolio_store_load         (SextantPortfolioStore  *self,
                                                             const char             *name,
                                                             GError                **error);
char                 **sextant_portfolio_store_list_names   (SextantPortfolioStore  *self,
                                                             GError                **error);
gboolean               sextant_portfolio_store_check_changes (SextantPortfolioStore *self,
                                                             GError                **error);
gboolean               sextant_portfolio_store_create       (SextantPortfolioStore  *self,
                                                             SextantPortfolio       *portfolio,
                                                             GError                **error);
gboolean               sextant_portfolio_store_rename       (SextantPortfolioStore  *self,
                                                             const char             *name,
                                                             const char             *new_name,
                                                             GError                **error);
gboolean               sextant_portfolio_store_delete       (SextantPortfolioStore  *self,
                                                             const char             *name,
                                                             GError                **error);
gboolean               sextant_portfolio_store_delete_full  (SextantPortfolioStore  *self,
                                                             const char             *name,
                                                             GArray                **job_ids,
                                                             GError                **error);
gboolean               sextant_portfolio_store_restore      (SextantPortfolioStore  *self,
                                                             SextantPortfolio       *portfolio,
                                                             GArray                 *job_ids,
                                                             GError                **error);
gboolean               sextant_portfolio_store_ensure_demo  (SextantPortfolioStore  *self,
                                                             GError                **error);
gint64                 sextant_portfolio_store_save_result  (SextantPortfolioStore  *self,
                                                             const char             *portfolio,
                                                             const char             *kind,
                                                             const char             *parameters,
                                                             const char             *inputs,
                                                             const char             *result,
                                                             GError                **error);
SextantSavedResult    *sextant_portfolio_store_get_result   (SextantPortfolioStore  *self,
                                                             gint64                  result_id,
                                                             GError                **error);
GPtrArray             *sextant_portfolio_store_list_results (SextantPortfolioStore  *self,
                                                             const char             *portfolio,
                                                             const char             *kind,
                                                             GError                **error);
gboolean               sextant_portfolio_store_delete_result (SextantPortfolioStore *self,
                                                             gint64                  result_id,
                                                             GError                **error);

gint64                 sextant_portfolio_store_count_clear  (SextantStore  *store,
                                                             GError       **error);
gint64                 sextant_portfolio_store_seal_batch   (SextantStore  *store,
                                                             guint          max_rows,
                                                             GError       **error);

G_END_DECLS
