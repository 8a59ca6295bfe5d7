#pragma once

#include <gtk/gtk.h>

#include "sextant-core.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_CHART_VIEW (sextant_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (SextantChartView, sextant_chart_view, SEXTANT, CHART_VIEW, GtkWidget)

GtkWidget        *sextant_chart_view_new               (void);
void              sextant_chart_view_set_chart         (SextantChartView        *self,
                                                        SextantChartKind         kind,
                                                        gconstpointer            model,
                                                        gpointer                 owner,
                                                        GDestroyNotify           owner_destroy);
void              sextant_chart_view_clear             (SextantChartView        *self);
gboolean          sextant_chart_view_has_chart         (SextantChartView        *self);
SextantChartKind  sextant_chart_view_get_kind          (SextantChartView        *self);
gconstpointer     sextant_chart_view_get_model         (SextantChartView        *self);
const SextantChartStyle *sextant_chart_view_get_style  (SextantChartView        *self);
char             *sextant_chart_view_dup_description   (SextantChartView        *self);
gboolean          sextant_chart_view_get_visible_range (SextantChartView        *self,
                                                        gsize                   *first,
                                                        gsize                   *last);
void              sextant_chart_view_zoom              (SextantChartView        *self,
                                                        double                   factor,
                                                        double                   anchor);
void              sextant_chart_view_pan               (SextantChartView        *self,
                                                        double                   bars);
void              sextant_chart_view_reset_zoom        (SextantChartView        *self);
gboolean          sextant_chart_view_export_to_path    (SextantChartView        *self,
                                                        const char              *path,
                                                        GError                 **error);
void              sextant_chart_view_set_data_export   (SextantChartView        *self,
                                                        gboolean                 allowed);

G_END_DECLS
