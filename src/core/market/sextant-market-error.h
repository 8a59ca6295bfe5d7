#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_MARKET_ERROR (sextant_market_error_quark ())

/**
 * SextantMarketError:
 * @SEXTANT_MARKET_ERROR_PARSE: a body or file that is not in the expected format
 * @SEXTANT_MARKET_ERROR_CSV_HEADER: a CSV whose header lacks a required column
 * @SEXTANT_MARKET_ERROR_CSV_ROW: a CSV row that cannot be read (the message names the line)
 * @SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL: the provider does not know the symbol
 * @SEXTANT_MARKET_ERROR_RATE_LIMITED: the provider's rate limit was reached
 * @SEXTANT_MARKET_ERROR_AUTH: a missing or rejected API key
 * @SEXTANT_MARKET_ERROR_NOT_ENTITLED: the plan does not include this endpoint
 * @SEXTANT_MARKET_ERROR_BLOCKED: the provider answered with a challenge page
 * @SEXTANT_MARKET_ERROR_HTTP: any other HTTP failure
 * @SEXTANT_MARKET_ERROR_NO_DATA: the request succeeded but returned no bars
 * @SEXTANT_MARKET_ERROR_NETWORK: the provider could not be reached
 * @SEXTANT_MARKET_ERROR_CSV_DATE: a CSV date column that is ambiguous or mixes formats
 * @SEXTANT_MARKET_ERROR_NO_PROVIDER: no provider is configured, or none has a key
 * @SEXTANT_MARKET_ERROR_ALL_FAILED: every provider failed, each for a different reason
 * @SEXTANT_MARKET_ERROR_CONTENT_TYPE: a body of the wrong content type (not JSON/CSV)
 * @SEXTANT_MARKET_ERROR_EMPTY: an empty body where data was expected
 * @SEXTANT_MARKET_ERROR_NOT_FOUND: no cached data, and no way to fetch it
 * @SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT: a base URL in plain http:// to a host other than this
 *   computer (`SEXTANT_ALLOW_INSECURE_ENDPOINT=1` allows it)
 * @SEXTANT_MARKET_ERROR_TOO_LARGE: an answer larger than Sextant reads
 */
typedef enum
{
  SEXTANT_MARKET_ERROR_PARSE,
  SEXTANT_MARKET_ERROR_CSV_HEADER,
  SEXTANT_MARKET_ERROR_CSV_ROW,
  SEXTANT_MARKET_ERROR_UNKNOWN_SYMBOL,
  SEXTANT_MARKET_ERROR_RATE_LIMITED,
  SEXTANT_MARKET_ERROR_AUTH,
  SEXTANT_MARKET_ERROR_NOT_ENTITLED,
  SEXTANT_MARKET_ERROR_BLOCKED,
  SEXTANT_MARKET_ERROR_HTTP,
  SEXTANT_MARKET_ERROR_NO_DATA,
  SEXTANT_MARKET_ERROR_NETWORK,
  SEXTANT_MARKET_ERROR_CSV_DATE,
  SEXTANT_MARKET_ERROR_NO_PROVIDER,
  SEXTANT_MARKET_ERROR_ALL_FAILED,
  SEXTANT_MARKET_ERROR_CONTENT_TYPE,
  SEXTANT_MARKET_ERROR_EMPTY,
  SEXTANT_MARKET_ERROR_NOT_FOUND,
  SEXTANT_MARKET_ERROR_INSECURE_ENDPOINT,
  SEXTANT_MARKET_ERROR_TOO_LARGE,
} SextantMarketError;

GQuark sextant_market_error_quark (void);

G_END_DECLS
