#pragma once

#include <json-glib/json-glib.h>

#include "sextant-core.h"

G_BEGIN_DECLS

/* The SPISECTOR data as make_reference.R prepares it (tests/data/portfolio/): the nine
 * sectors as assets and SPI as benchmark, rows with any missing price dropped, simple returns.
 * @ref is tests/data/portfolio/spisector_reference.json, @risk_ref
 * tests/data/risk/spisector_risk_reference.json (the same rows and equal weights). */
typedef struct
{
  JsonParser          *parser;
  JsonObject          *ref;
  JsonParser          *risk_parser;
  JsonObject          *risk_ref;
  SextantReturnMatrix *assets;
  double              *benchmark;
  double              *mean;
  double              *covariance;
  gsize                k;
  gsize                n;
} SpiFixture;

SpiFixture *spi_fixture_load         (void);
void        spi_fixture_free         (SpiFixture  *self);
double      spi_ref_double           (SpiFixture  *self,
                                      const char  *object,
                                      const char  *member);
void        spi_ref_weights          (SpiFixture  *self,
                                      const char  *object,
                                      double      *weights);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpiFixture, spi_fixture_free)

G_END_DECLS
