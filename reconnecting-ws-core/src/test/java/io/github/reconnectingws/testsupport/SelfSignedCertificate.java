package io.github.reconnectingws.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1}, generated at test time with the JDK's
 * {@code keytool} into a PKCS12 key store, plus its certificate exported as PEM.
 *
 * <p>Generated per test run rather than checked in, so it never expires and no key
 * material lives in the repository.
 */
public final class SelfSignedCertificate {

    private static final String ALIAS = "test-server";

    private static final String PASSWORD = "test-password";

    /** Guarded by the class: generated once per JVM, as keytool takes a second or more. */
    private static SelfSignedCertificate shared;

    private final Path keyStore;

    private final Path certificatePem;

    private SelfSignedCertificate(Path keyStore, Path certificatePem) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
    }

    /**
     * Returns a certificate generated on first use and shared by the whole test JVM; its files
     * are deleted when the JVM exits. Treat them as read-only.
     *
     * @return the shared certificate
     */
    public static synchronized SelfSignedCertificate shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("test-certificate");
                // Registered first, so deleted last: after the files in it.
                dir.toFile().deleteOnExit();
                shared = generate(dir);
                shared.keyStore.toFile().deleteOnExit();
                shared.certificatePem.toFile().deleteOnExit();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return shared;
    }

    /**
     * Generates a new key pair and certificate (SAN {@code ip:127.0.0.1}) into {@code dir}.
     *
     * @param dir an existing directory that receives {@code server.p12} and {@code server.pem}
     * @return the generated certificate
     */
    public static SelfSignedCertificate generate(Path dir) {
        Path keyStore = dir.resolve("server.p12");
        runKeytool(List.of("-genkeypair", "-alias", ALIAS,
                // EC keys generate much faster than RSA, which keeps TLS tests quick.
                "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        Path pem = dir.resolve("server.pem");
        writePem(readCertificate(keyStore), pem);
        return new SelfSignedCertificate(keyStore, pem);
    }

    /**
     * Returns the PKCS12 key store holding the private key and certificate.
     *
     * @return the key store file
     */
    public Path keyStore() {
        return this.keyStore;
    }

    /**
     * Returns the password of the key store and of its key entry.
     *
     * @return the password
     */
    public String keyStorePassword() {
        return PASSWORD;
    }

    /**
     * Returns the certificate (no key) as a PEM file, for trust stores and SSL bundles.
     *
     * @return the PEM file
     */
    public Path certificatePem() {
        return this.certificatePem;
    }

    /**
     * Builds a client {@link SSLContext} that trusts exactly this certificate, read back from
     * the PEM file so the export is exercised too.
     *
     * @return a TLS context trusting this certificate
     */
    public SSLContext trustingSslContext() {
        try (InputStream in = Files.newInputStream(this.certificatePem)) {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry(ALIAS,
                    CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot build a trusting SSLContext", ex);
        }
    }

    private static void runKeytool(List<String> arguments) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Read the output before waiting, so a chatty keytool cannot block on a full pipe.
            String output = new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish in 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", ex);
        }
    }

    private static Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            return keyStore.getCertificate(ALIAS);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot read " + file, ex);
        }
    }

    private static void writePem(Certificate certificate, Path target) {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            Files.writeString(target, "-----BEGIN CERTIFICATE-----\n" + base64
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot encode the certificate", ex);
        }
    }

}
