#pragma once

/* The one header the GUI, the CLI and the tests include to reach the core. */

#include "sextant-analytics-error.h"
#include "sextant-price-series.h"
#include "sextant-price-table.h"
#include "sextant-returns.h"
#include "sextant-covariance.h"

#include "sextant-csv-reader.h"
#include "sextant-demo-data.h"
#include "sextant-market-error.h"
#include "sextant-portfolio.h"

#include "sextant-data-dirs.h"
#include "sextant-log-writer.h"
#include "sextant-secret-store.h"
#include "sextant-store.h"

#include "sextant-chart-error.h"
#include "sextant-chart-export.h"
#include "sextant-chart-layout.h"
#include "sextant-chart-model.h"
#include "sextant-chart-paint.h"
#include "sextant-chart-style.h"
#include "sextant-report.h"
