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

#include "sextant-aws-config.h"
#include "sextant-aws-credentials.h"
#include "sextant-bedrock-catalogue.h"
#include "sextant-bedrock-client.h"
#include "sextant-bedrock-embeddings.h"
#include "sextant-bedrock-error.h"
#include "sextant-converse-message.h"
#include "sextant-converse-request.h"
#include "sextant-converse-result.h"
#include "sextant-crc32.h"
#include "sextant-event-stream-decoder.h"
#include "sextant-event-stream-message.h"
#include "sextant-sigv4-signer.h"

#include "sextant-data-dirs.h"
#include "sextant-log-writer.h"
#include "sextant-secret-store.h"
#include "sextant-store.h"
