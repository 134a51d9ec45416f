package org.orthweb.cloudinit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered application configuration against what the software in the pinned images reads:
 * option names, image evidence and versions, and permissions that the stack can honour.
 */
class ApplicationOptionsTest {

    static final Map<String, String> FILES = Render.files(Fixtures.inputs(), Layout.HOST);

    /**
     * Top-level options of the OrthancExplorer2 section that OE2 1.14.1 reads
     * (orthanc-server/orthanc-explorer-2 Plugin/DefaultConfiguration.json).
     */
    static final Set<String> OE2_OPTIONS = Set.of("Enable", "Root", "IsDefaultOrthancUI", "Theme", "CustomCssPath",
            "CustomLogoUrl", "CustomLogoPath", "CustomFavIconPath", "CustomTitle", "UiOptions", "Keycloak", "Tokens",
            "AdvancedOptions", "Inbox");
    static final Set<String> OE2_KEYCLOAK_OPTIONS = Set.of("Enable", "Url", "Realm", "ClientId");
    /**
     * Options of the DicomWeb section that the plugin reads
     * (orthanc-mirrors/orthanc-dicomweb Plugin/Configuration.cpp, Plugin.cpp; Orthanc Book "DICOMweb plugin").
     */
    static final Set<String> DICOMWEB_OPTIONS = Set.of("Enable", "Root", "EnableWado", "WadoRoot", "Host", "Ssl",
            "PublicRoot", "StowMaxInstances", "StowMaxSize", "QidoCaseSensitive", "Servers", "ServersInDatabase",
            "MetadataWorkerThreadsCount", "EnableMetadataCache", "StudiesMetadata", "SeriesMetadata",
            "StudiesMetadataExtrapolatedTags", "SeriesMetadataExtrapolatedTags", "EnablePerformanceLogs");

    static JsonNode orthancJson() throws Exception {
        return new ObjectMapper().readTree(FILES.get(Layout.CONFIG_DIR + "/orthanc.json"));
    }

    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void orthancExplorer2AndDicomWebOptionsAreOnesThePluginsRead() throws Exception {
        JsonNode o = orthancJson();
        assertThat(names(o.get("OrthancExplorer2"))).isSubsetOf(OE2_OPTIONS);
        assertThat(names(o.at("/OrthancExplorer2/Keycloak"))).isSubsetOf(OE2_KEYCLOAK_OPTIONS);
        assertThat(names(o.get("DicomWeb"))).isSubsetOf(DICOMWEB_OPTIONS);
        assertThat(o.at("/OrthancExplorer2/IsDefaultOrthancUI").asBoolean()).isTrue();
    }

    @Test
    void absoluteUrlsOfEveryComponentUseTheOnePublicSiteOverHttps() throws Exception {
        JsonNode o = orthancJson();
        // DICOMweb: host and scheme from configuration, not from the proxied request
        assertThat(o.at("/DicomWeb/Host").asText()).isEqualTo("${ORTHWEB_SITE}");
        assertThat(o.at("/DicomWeb/Ssl").asBoolean()).isTrue();
        assertThat(o.at("/DicomWeb/PublicRoot").asText()).isEqualTo("/orthanc/dicom-web/");
        assertThat(o.at("/OrthancExplorer2/Keycloak/Url").asText()).isEqualTo("https://${ORTHWEB_SITE}/keycloak/");
        JsonNode services = new YAMLMapper().readTree(FILES.get(Layout.CONFIG_DIR + "/docker-compose.yml")).get("services");
        String site = "${SITE_NAME:?SITE_NAME must be set in .env}";
        assertThat(services.at("/orthanc/environment/ORTHWEB_SITE").asText()).isEqualTo(site);
        assertThat(services.at("/keycloak/environment/KC_HOSTNAME").asText()).isEqualTo("https://" + site + "/keycloak");
        assertThat(services.at("/orthanc-auth-service/environment/PUBLIC_ORTHANC_ROOT").asText())
                .isEqualTo("https://" + site + "/orthanc/");
        assertThat(services.at("/orthanc-auth-service/environment/PUBLIC_LANDING_ROOT").asText())
                .startsWith("https://" + site + "/orthanc/ui/app/");
    }

    @Test
    void permissionsAreConfigurationAsCodeSoNoRoleMayEditThem() throws Exception {
        JsonNode auth = new YAMLMapper().readTree(FILES.get(Layout.CONFIG_DIR + "/docker-compose.yml"))
                .at("/services/orthanc-auth-service/volumes");
        String mount = null;
        for (JsonNode v : auth) {
            if (v.asText().contains("permissions.json")) {
                mount = v.asText();
            }
        }
        assertThat(mount).as("permissions.json mount").isNotNull().endsWith(":ro");
        // the auth service rewrites this file when an admin saves permissions in OE2: with a read-only
        // file that ends in a server error, so the editor right must not exist
        JsonNode roles = new ObjectMapper().readTree(FILES.get(Layout.CONFIG_DIR + "/permissions.json")).get("roles");
        roles.fields().forEachRemaining(r -> assertThat(r.getValue().get("permissions").toString())
                .as(r.getKey()).doesNotContain("\"admin-permissions\""));
    }

    @Test
    void everyPinnedImageCarriesEvidenceAndTheVersionsTestsRelyOn() {
        assertThat(AppImages.PINNED.keySet()).isEqualTo(AppImages.DEFAULTS.keySet());
        AppImages.PINNED.forEach((name, p) -> {
            assertThat(p.evidence()).as(name + " evidence").isNotBlank();
            assertThat(p.contents()).as(name + " contents").isNotEmpty();
            String tag = p.reference().substring(p.reference().lastIndexOf(':') + 1);
            assertThat(p.evidence() + " " + p.reference()).as(name).contains(tag);
        });
        // nginx: the tag's version is the version inside
        Map<String, String> nginx = AppImages.PINNED.get("nginx").contents();
        assertThat(AppImages.DEFAULTS.get("nginx")).startsWith("nginx:" + nginx.get("nginx") + "-");
        assertThat(AppImages.PINNED.get("keycloak").contents()).containsEntry("Keycloak", AppImages.KEYCLOAK_INSIDE_IMAGE);
    }

    @Test
    void theRealmTestRunsTheKeycloakInsideTheImage() {
        // surefire passes the pom's keycloak.version (the server zip the realm test starts)
        String tested = System.getProperty("keycloak.version");
        assertThat(tested).as("system property keycloak.version (set by surefire from the pom)").isNotBlank();
        assertThat(tested).isEqualTo(AppImages.KEYCLOAK_INSIDE_IMAGE);
    }
}
