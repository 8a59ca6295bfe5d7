#pragma once

/* The one header the GUI, the CLI and the tests include to reach the core. */

#include "sextant-analytics-error.h"
#include "sextant-price-series.h"
#include "sextant-price-table.h"
#include "sextant-returns.h"
#include "sextant-covariance.h"

#include "sextant-csv-reader.h"
#include "sextant-csv-fields.h"
#include "sextant-csv-importer.h"
#include "sextant-demo-data.h"
#include "sextant-market-error.h"
#include "sextant-portfolio.h"
#include "sextant-quote.h"
#include "sextant-market-response.h"
#include "sextant-market-provider.h"
#include "sextant-http-provider.h"
#include "sextant-alpha-vantage-provider.h"
#include "sextant-finnhub-provider.h"
#include "sextant-stooq-provider.h"
#include "sextant-yahoo-provider.h"
#include "sextant-rate-limiter.h"
#include "sextant-market-router.h"
#include "sextant-market-data.h"

#include "sextant-data-dirs.h"
#include "sextant-log-writer.h"
#include "sextant-market-cache.h"
#include "sextant-portfolio-store.h"
#include "sextant-secret-store.h"
#include "sextant-store.h"
