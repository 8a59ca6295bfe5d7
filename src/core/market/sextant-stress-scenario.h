#pragma once

#include <glib-object.h>

#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantStressShock:
 * @key: an instrument's symbol or an ISO 4217 currency code
 * @shock: the move, a fraction (−0.2 for a 20 % fall), ≥ −1
 */
typedef struct
{
  char   *key;
  double  shock;
} SextantStressShock;

/**
 * SextantStressScenario:
 * @name: the name it is saved under
 * @market: a uniform move of every instrument's price
 * @instruments: (element-type SextantStressShock): price moves of single instruments, which
 *   replace @market for them
 * @currencies: (element-type SextantStressShock): moves of currencies against the portfolio's
 *   base currency, applied on top of the price move of every instrument quoted in them
 *
 * A user-defined stress: instrument i moves by (1 + p_i)(1 + f_i) − 1, where p_i is its own
 * shock or else @market, and f_i its currency's shock or else 0.
 */
typedef struct
{
  char   *name;
  double  market;
  GArray *instruments;
  GArray *currencies;
} SextantStressScenario;

#define SEXTANT_TYPE_STRESS_SCENARIO (sextant_stress_scenario_get_type ())

GType                  sextant_stress_scenario_get_type       (void) G_GNUC_CONST;
SextantStressScenario *sextant_stress_scenario_new            (const char                  *name);
SextantStressScenario *sextant_stress_scenario_copy           (const SextantStressScenario *self);
void                   sextant_stress_scenario_free           (SextantStressScenario       *self);
void                   sextant_stress_scenario_set_instrument (SextantStressScenario       *self,
                                                               const char                  *symbol,
                                                               double                       shock);
void                   sextant_stress_scenario_set_currency   (SextantStressScenario       *self,
                                                               const char                  *currency,
                                                               double                       shock);
gboolean               sextant_stress_scenario_apply          (const SextantStressScenario *self,
                                                               gsize                        k,
                                                               const char * const          *symbols,
                                                               const char * const          *currencies,
                                                               const double                *weights,
                                                               double                       value,
                                                               double                      *shocks,
                                                               double                      *pnl,
                                                               double                      *total_pnl,
                                                               GError                     **error);

gboolean               sextant_stress_scenario_save           (SextantStore                *store,
                                                               const SextantStressScenario *self,
                                                               GError                     **error);
SextantStressScenario *sextant_stress_scenario_load           (SextantStore                *store,
                                                               const char                  *name,
                                                               GError                     **error);
char                 **sextant_stress_scenario_list_names     (SextantStore                *store,
                                                               GError                     **error);
gboolean               sextant_stress_scenario_delete         (SextantStore                *store,
                                                               const char                  *name,
                                                               GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantStressScenario, sextant_stress_scenario_free)

G_END_DECLS
