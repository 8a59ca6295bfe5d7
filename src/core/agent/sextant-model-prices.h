#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_MODEL_PRICES (sextant_model_prices_get_type ())

G_DECLARE_FINAL_TYPE (SextantModelPrices, sextant_model_prices, SEXTANT, MODEL_PRICES, GObject)

SextantModelPrices *sextant_model_prices_new            (void);
guint               sextant_model_prices_get_n_prices   (SextantModelPrices  *self);
const char         *sextant_model_prices_get_price      (SextantModelPrices  *self,
                                                         guint                index,
                                                         double              *input_per_mtok,
                                                         double              *output_per_mtok);
gboolean            sextant_model_prices_lookup         (SextantModelPrices  *self,
                                                         const char          *model_id,
                                                         double              *input_per_mtok,
                                                         double              *output_per_mtok);
void                sextant_model_prices_set            (SextantModelPrices  *self,
                                                         const char          *pattern,
                                                         double               input_per_mtok,
                                                         double               output_per_mtok);
void                sextant_model_prices_reset          (SextantModelPrices  *self);
gboolean            sextant_model_prices_set_cache      (SextantModelPrices  *self,
                                                         const char          *pattern,
                                                         double               cache_write_per_mtok,
                                                         double               cache_read_per_mtok);
gboolean            sextant_model_prices_lookup_cache   (SextantModelPrices  *self,
                                                         const char          *model_id,
                                                         double              *cache_write_per_mtok,
                                                         double              *cache_read_per_mtok);
const char         *sextant_model_prices_get_as_of      (SextantModelPrices  *self);
double              sextant_model_prices_estimate_usage (SextantModelPrices  *self,
                                                         const char          *model_id,
                                                         gint64               input_tokens,
                                                         gint64               output_tokens,
                                                         gint64               cache_read_tokens,
                                                         gint64               cache_write_tokens);
double              sextant_model_prices_estimate       (SextantModelPrices  *self,
                                                         const char          *model_id,
                                                         gint64               input_tokens,
                                                         gint64               output_tokens);
gboolean            sextant_model_prices_load_json      (SextantModelPrices  *self,
                                                         const char          *json,
                                                         GError             **error);
char               *sextant_model_prices_to_json        (SextantModelPrices  *self);
char               *sextant_model_prices_edits_to_json  (SextantModelPrices  *self);

G_END_DECLS
