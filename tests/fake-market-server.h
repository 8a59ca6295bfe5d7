#pragma once

#include <libsoup/soup.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/* An in-process SoupServer on 127.0.0.1 that replays the provider fixtures of
 * tests/data/market-apis/ with their real status codes and content types. */
typedef struct _FakeMarketServer FakeMarketServer;

FakeMarketServer *fake_market_server_new            (void);
void              fake_market_server_free           (FakeMarketServer  *self);
const char       *fake_market_server_get_base_url   (FakeMarketServer  *self);
void              fake_market_server_push           (FakeMarketServer  *self,
                                                     const char        *path,
                                                     const char        *query_contains,
                                                     guint              status,
                                                     const char        *content_type,
                                                     const char        *fixture);
void              fake_market_server_push_body      (FakeMarketServer  *self,
                                                     const char        *path,
                                                     const char        *query_contains,
                                                     guint              status,
                                                     const char        *content_type,
                                                     const char        *body);
guint             fake_market_server_get_count      (FakeMarketServer  *self,
                                                     const char        *path);
const char       *fake_market_server_get_last_query (FakeMarketServer  *self);
const char       *fake_market_server_get_last_query_for (FakeMarketServer *self,
                                                         const char       *path);
const char       *fake_market_server_get_last_header (FakeMarketServer *self,
                                                     const char        *name);
SoupSession      *fake_market_session_new           (void);

/* The ECB Data Portal's `/service/data/EXR/{key}` answered from a fixture of rows in its
 * csvdata format, filtered by the key's currencies and startPeriod/endPeriod as the real
 * service does (no row: 404 `No results found.`, a malformed key: 400), or with a fault. */
typedef enum
{
  FAKE_ECB_OK,
  FAKE_ECB_NOT_FOUND,
  FAKE_ECB_SERVER_ERROR,
  FAKE_ECB_TRUNCATED,
  FAKE_ECB_EMPTY_VALUES,
} FakeEcbFault;

void              fake_market_server_serve_ecb      (FakeMarketServer  *self,
                                                     const char        *fixture);
void              fake_market_server_set_ecb_fault  (FakeMarketServer  *self,
                                                     FakeEcbFault       fault);
guint             fake_market_closed_port           (void);

SextantQuote       *fake_market_fetch_quote (SextantMarketProvider  *provider,
                                             const char             *symbol,
                                             SextantMarketResponse **response,
                                             GError                **error);
SextantPriceSeries *fake_market_fetch_daily (SextantMarketProvider  *provider,
                                             const char             *symbol,
                                             gint32                  from_day,
                                             gint32                  to_day,
                                             SextantMarketResponse **response,
                                             GError                **error);
GPtrArray          *fake_market_search      (SextantMarketProvider  *provider,
                                             const char             *query,
                                             SextantMarketResponse **response,
                                             GError                **error);

/* The US Treasury's daily par yield curve CSV for one year (issue 17). */
void              fake_market_server_serve_treasury (FakeMarketServer  *self,
                                                     const char        *fixture,
                                                     int                year);
/* The ECB's euro-area yield curves (dataset YC) from a csvdata fixture (issue 17). */
void              fake_market_server_serve_ecb_curve (FakeMarketServer *self,
                                                      const char       *fixture);

G_END_DECLS
