#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SextantAwsConfig:
 * @region: the region requests are signed for and sent to
 * @region_source: where @region came from, for messages (`AWS_REGION`, `profile default`, …)
 * @profile: the shared-file profile (`AWS_PROFILE`, else `default`)
 * @runtime_endpoint: base URL of bedrock-runtime (no trailing slash); plain http:// only to
 *   loopback unless `SEXTANT_ALLOW_INSECURE_ENDPOINT=1`
 * @control_endpoint: base URL of the bedrock control plane
 * @ca_bundle: (nullable): CA bundle file (`AWS_CA_BUNDLE`, else the profile's `ca_bundle`)
 *   that replaces the system trust store for Bedrock requests, as in the AWS CLI; %NULL keeps
 *   the system's
 * @config_file: the config file path that was read (it may not exist)
 * @credentials_file: the shared credentials file path
 */
typedef struct
{
  char *region;
  char *region_source;
  char *profile;
  char *runtime_endpoint;
  char *control_endpoint;
  char *ca_bundle;
  char *config_file;
  char *credentials_file;
} SextantAwsConfig;

SextantAwsConfig *sextant_aws_config_load          (const char        *region_override,
                                                    const char        *setting_region,
                                                    GError           **error);
SextantAwsConfig *sextant_aws_config_load_for_profile (const char    *region_override,
                                                       const char    *setting_region,
                                                       const char    *setting_profile,
                                                       GError       **error);
SextantAwsConfig *sextant_aws_config_new_for_endpoint (const char     *region,
                                                    const char        *endpoint);
SextantAwsConfig *sextant_aws_config_copy          (const SextantAwsConfig *config);
void              sextant_aws_config_free          (SextantAwsConfig  *config);
GTlsDatabase     *sextant_aws_config_load_ca_bundle (const SextantAwsConfig *config,
                                                    GError           **error);
GHashTable       *sextant_aws_ini_parse            (const char        *path,
                                                    GError           **error);
GHashTable       *sextant_aws_ini_get_profile      (GHashTable        *ini,
                                                    const char        *profile,
                                                    gboolean           config_style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantAwsConfig, sextant_aws_config_free)

G_END_DECLS
