package org.orthweb.cloudinit;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test certificates in the shape {@code SitePki} has the tls provider produce (made here with
 * openssl, since the provider cannot run offline): an RSA site CA, a server certificate with the
 * site's names as SANs (serverAuth), client certificates with the peer's name as CN (clientAuth),
 * explicit 128-bit serials, keys in PKCS#1 PEM as the provider writes RSA keys. RSA 2048 instead
 * of the program's 3072 only to keep the tests quick; nothing the tests check depends on it.
 */
final class TestPki {

    /** A certificate and its key on disk, with the serial as the provider reports it (decimal). */
    record Issued(Path cert, Path key, BigInteger serial) {
        String decimalSerial() {
            return serial.toString();
        }
    }

    private final Path dir;

    TestPki(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Issued ca(String name, String commonName, BigInteger serial) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                "-set_serial", "0x" + serial.toString(16), "-subj", "/O=Orthweb/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
                "-keyout", key.toString(), "-out", cert.toString()).expectSuccess("test CA " + name);
        return new Issued(cert, traditional(key), serial);
    }

    Issued server(String name, Issued ca, List<String> dnsNames, List<String> ips, BigInteger serial) throws IOException {
        List<String> sans = new ArrayList<>();
        dnsNames.forEach(n -> sans.add("DNS:" + n));
        ips.forEach(ip -> sans.add("IP:" + ip));
        return issue(name, ca, "/O=Orthweb/CN=Orthweb site", serial,
                "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                        + "subjectAltName=" + String.join(",", sans) + "\n");
    }

    Issued peer(String name, Issued ca, BigInteger serial) throws IOException {
        return issue(name, ca, "/O=Orthweb/OU=DICOM peers of conformance/CN=" + name, serial,
                "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
    }

    private Issued issue(String name, Issued ca, String subject, BigInteger serial, String extensions) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "basicConstraints=critical,CA:FALSE\nsubjectKeyIdentifier=hash\n"
                + "authorityKeyIdentifier=keyid\n" + extensions);
        Tools.run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", subject,
                "-keyout", key.toString(), "-out", csr.toString()).expectSuccess("csr " + name);
        Tools.run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey",
                ca.key().toString(), "-set_serial", "0x" + serial.toString(16), "-days", "2", "-sha256",
                "-extfile", ext.toString(), "-out", cert.toString()).expectSuccess("sign " + name);
        Files.delete(csr);
        Files.delete(ext);
        return new Issued(cert, traditional(key), serial);
    }

    /** PKCS#1 ("BEGIN RSA PRIVATE KEY"), the form the tls provider's privateKeyPem has for RSA. */
    private static Path traditional(Path key) throws IOException {
        Path out = key.resolveSibling(key.getFileName() + ".pkcs1");
        Tools.run("openssl", "pkey", "-in", key.toString(), "-traditional", "-out", out.toString()).expectSuccess("pkey");
        Files.move(out, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return key;
    }
}
