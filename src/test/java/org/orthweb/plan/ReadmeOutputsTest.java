package org.orthweb.plan;

import org.junit.jupiter.api.Test;
import org.orthweb.support.TestStacks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's stack-output table says what the program exports, under the mock engine. */
class ReadmeOutputsTest {

    private static Map<String, String> readmeRows() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("Stack outputs:");
        assertThat(start).as("README has a 'Stack outputs:' table").isPositive();
        String table = readme.substring(start, readme.indexOf("\n\n", readme.indexOf("| output |", start)));
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        for (String line : table.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            Matcher names = Pattern.compile("`([A-Za-z]+)`").matcher(cells[1]);
            while (names.find()) {
                rows.put(names.group(1), cells[2].strip());
            }
        }
        return rows;
    }

    @Test
    void theTableNamesExactlyTheOutputsTheProgramExports() throws Exception {
        Set<String> documented = new TreeSet<>(readmeRows().keySet());
        // both modes: dev is single-host, the shipped prod file runs in HA mode
        Set<String> exported = new TreeSet<>(TestStacks.shipped("dev").outputs().keySet());
        exported.addAll(TestStacks.shipped("prod").outputs().keySet());
        // and the outputs of optional settings: the Client VPN, a modality called over DICOM TLS
        Plan optional = TestStacks.plan("optional", TestStacks.yaml("dev", """
                  orthweb:vpn:
                    clientCidr: 10.250.0.0/22
                    clients: [{name: alice}]
                  orthweb:orthanc:
                    modalities:
                      pacs: {aeTitle: PACS, host: 10.0.0.9, port: 2762, tls: true, caCertificate: %s}
                """.formatted(org.orthweb.pki.TestCertificates.quoted(org.orthweb.pki.TestCertificates.modalityCa()))));
        assertThat(optional.outputs().keySet()).as("optional outputs exist").contains("vpnEndpointDnsName",
                "dicomOrthancClientCertificate");
        exported.addAll(optional.outputs().keySet());
        assertThat(documented).isEqualTo(exported);
    }

    @Test
    void whatTheTableSaysOfSiteUrlsAndTheLogGroupIsWhatTheProgramDoes() throws Exception {
        Map<String, String> rows = readmeRows();
        Plan withSite = TestStacks.plan("t", TestStacks.yaml("dev", """
                  orthweb:site:
                    name: pacs.example.org
                  orthweb:host:
                    instanceCount: 2
                  orthweb:logging:
                    containerLogs: false
                """));
        // one URL for the site, however many hosts: the site name, else the first Elastic IP's name
        assertThat(rows.get("siteUrls")).contains("<site name>");
        assertThat(rows.get("siteName")).contains("orthweb:site.name").contains("Elastic IP").contains("load balancer");
        assertThat(withSite.outputs().get("siteUrls")).isEqualTo(List.of("https://pacs.example.org/"));
        assertThat((List<?>) withSite.outputs().get("hostIds")).hasSize(2);
        // every stable name is a DICOM endpoint: the site name, then each host's Elastic IP name
        assertThat(rows.get("dicomEndpoints")).contains("each stable name");
        List<?> endpoints = (List<?>) withSite.outputs().get("dicomEndpoints");
        assertThat(endpoints).hasSize(3).first().isEqualTo("pacs.example.org:11112");
        // no site name: still one URL, the first host's stable (Elastic IP) name
        Plan dev = TestStacks.shipped("dev");
        assertThat(dev.outputs().get("siteUrls")).isEqualTo(List.of("https://" + dev.outputs().get("siteName") + "/"));
        // container logs off: the output is there, as null
        assertThat(rows.get("containerLogGroup")).contains("`null`");
        assertThat(withSite.outputs()).containsEntry("containerLogGroup", null);
    }

    @Test
    void theConnectingOutputsAreCommandsThatWork() throws Exception {
        Plan dev = TestStacks.shipped("dev");
        org.orthweb.config.StackConfig config = TestStacks.config("dev");
        // the password command reads the field ApplicationSecrets stores, from the stack's application secret
        String command = String.valueOf(dev.outputs().get("keycloakAdminPasswordCommand"));
        assertThat(org.orthweb.cloudinit.AppSecrets.KEYS).contains(org.orthweb.cloudinit.AppSecrets.KEYCLOAK_ADMIN_PASSWORD);
        assertThat(command).isEqualTo("aws secretsmanager get-secret-value --region " + config.region()
                + " --secret-id " + dev.outputs().get("appSecretArn") + " --query SecretString --output text | jq -r ."
                + org.orthweb.cloudinit.AppSecrets.KEYCLOAK_ADMIN_PASSWORD);
        // one dicom-client line per declared peer, each one our command line accepts as written
        List<?> kits = (List<?>) dev.outputs().get("dicomClientKitCommands");
        assertThat(kits).hasSize(config.dicom().clients().size());
        for (Object kit : kits) {
            String line = String.valueOf(kit);
            assertThat(line).startsWith("java -jar target/orthweb.jar dicom-client ");
            String[] args = line.substring("java -jar target/orthweb.jar ".length()).split(" ");
            var parsed = org.orthweb.cli.Cli.commandLine(new org.orthweb.cli.CliContext(Map.of(),
                    java.io.InputStream.nullInputStream(), false, (s, c) -> {
                        throw new AssertionError("not run");
                    })).parseArgs(args);
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("dicom-client");
        }
        Map<String, String> rows = readmeRows();
        assertThat(rows.get("dicomEndpoints")).contains("client certificate");
        assertThat(rows.get("keycloakAdminPasswordCommand")).contains("first administrator password");
        assertThat(dev.outputs().get("hostAmiId")).asString().startsWith("ami-");
    }
}
