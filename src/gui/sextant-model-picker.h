#pragma once

#include <gtk/gtk.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_MODEL_PICKER (sextant_model_picker_get_type ())

G_DECLARE_FINAL_TYPE (SextantModelPicker, sextant_model_picker, SEXTANT, MODEL_PICKER, GtkWidget)

GtkWidget  *sextant_model_picker_new          (void);
const char *sextant_model_picker_get_model_id (SextantModelPicker   *self);
void        sextant_model_picker_set_model_id (SextantModelPicker   *self,
                                               const char           *model_id);
void        sextant_model_picker_set_region   (SextantModelPicker   *self,
                                               const char           *region);
void        sextant_model_picker_set_client   (SextantModelPicker   *self,
                                               SextantBedrockClient *client);
void        sextant_model_picker_set_prices   (SextantModelPicker   *self,
                                               SextantModelPrices   *prices);
char       *sextant_model_picker_describe     (SextantModelPicker   *self,
                                               const char           *model_id);

G_END_DECLS
