#pragma once

#include "sextant-core.h"

G_BEGIN_DECLS

char *_sextant_chart_view_tooltip_text (SextantChartKind          kind,
                                        gconstpointer             model,
                                        const SextantChartLayout *layout,
                                        double                    x,
                                        double                    y);

G_END_DECLS
