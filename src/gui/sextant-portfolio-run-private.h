#pragma once

#include "sextant-portfolio-run.h"

G_BEGIN_DECLS

/* Shared by sextant-portfolio-run.c (runs) and sextant-portfolio-run-saved.c (saved results). */

void _sextant_optimization_result_fill_chart (SextantOptimizationResult *r);

G_END_DECLS
