#define G_LOG_DOMAIN "test-risk-fixture"

#include "config.h"

#include "sextant-test-util.h"
#include "test-risk-fixture.h"

SpiFixture *
spi_fixture_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = sextant_test_reference_path ("portfolio/spisector_reference.json");
  g_autofree char *risk_path = sextant_test_reference_path ("risk/spisector_risk_reference.json");
  g_autofree char *csv_path = sextant_test_reference_path ("market/spisector_prices.csv");
  g_autoptr(SextantPriceTable) table = NULL, used = NULL, complete = NULL, assets = NULL;
  g_autoptr(SextantPriceTable) bench = NULL;
  g_autoptr(SextantReturnMatrix) bench_returns = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *bench_name[] = { "SPI", NULL };
  SpiFixture *self = g_new0 (SpiFixture, 1);
  JsonArray *asset_names;

  self->parser = json_parser_new ();
  json_parser_load_from_file (self->parser, json_path, &error);
  g_assert_no_error (error);
  self->ref = json_node_get_object (json_parser_get_root (self->parser));
  self->risk_parser = json_parser_new ();
  json_parser_load_from_file (self->risk_parser, risk_path, &error);
  g_assert_no_error (error);
  self->risk_ref = json_node_get_object (json_parser_get_root (self->risk_parser));
  asset_names = json_object_get_array_member (self->ref, "assets");
  for (guint i = 0; i < json_array_get_length (asset_names); i++)
    g_ptr_array_add (names, (gpointer) json_array_get_string_element (asset_names, i));
  g_ptr_array_add (names, (gpointer) "SPI");
  g_ptr_array_add (names, NULL);

  table = sextant_csv_read_price_table (csv_path, &error);
  g_assert_no_error (error);
  used = sextant_price_table_select (table, (const char * const *) names->pdata, &error);
  g_assert_no_error (error);
  complete = sextant_price_table_drop_incomplete (used, NULL);
  names->pdata[names->len - 2] = NULL;
  assets = sextant_price_table_select (complete, (const char * const *) names->pdata, &error);
  g_assert_no_error (error);
  bench = sextant_price_table_select (complete, bench_name, &error);
  g_assert_no_error (error);

  self->assets = sextant_return_matrix_from_prices (assets, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);
  bench_returns = sextant_return_matrix_from_prices (bench, SEXTANT_RETURN_SIMPLE, &error);
  g_assert_no_error (error);
  self->k = self->assets->n_assets;
  self->n = self->assets->n_obs;
  self->benchmark = g_memdup2 (bench_returns->values, sizeof (double) * self->n);
  self->mean = g_new (double, self->k);
  self->covariance = g_new (double, self->k * self->k);
  g_assert_true (sextant_mean_vector (self->assets, self->mean, &error));
  g_assert_true (sextant_covariance_sample (self->assets, self->covariance, &error));
  g_assert_no_error (error);

  return self;
}

void
spi_fixture_free (SpiFixture *self)
{
  g_clear_object (&self->parser);
  g_clear_object (&self->risk_parser);
  sextant_return_matrix_free (self->assets);
  g_free (self->benchmark);
  g_free (self->mean);
  g_free (self->covariance);
  g_free (self);
}

double
spi_ref_double (SpiFixture *self,
                const char *object,
                const char *member)
{
  JsonObject *o = json_object_get_object_member (self->ref, object);

  g_assert_nonnull (o);
  g_assert_true (json_object_has_member (o, member));

  return json_object_get_double_member (o, member);
}

/* Weights of a named object of spisector_reference.json, in the asset order of the fixture. */
void
spi_ref_weights (SpiFixture *self,
                 const char *object,
                 double     *weights)
{
  for (gsize j = 0; j < self->k; j++)
    weights[j] = spi_ref_double (self, object, self->assets->names[j]);
}
