package io.herald.platform;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts what Herald must be able to read back but never show (endpoint passwords, tokens, client secrets, private
 * keys): AES-256-GCM with a random nonce, bound to the row it belongs to (the associated data), written as
 * {@code v1:<base64 nonce+ciphertext+tag>}. The key is {@code HERALD_SECRETS_KEY} (hashed to 256 bits) or, when unset, a
 * random key kept in the data directory, which suits one instance with its own disk.
 */
@Singleton
public class SecretBox {
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int MIN_KEY_CHARS = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PlatformConfig config;
    private volatile SecretKeySpec key;

    SecretBox(PlatformConfig config) {
        this.config = config;
    }

    /** Thrown when a stored value cannot be read back: another key, or a value moved to another row. */
    public static class UnreadableSecret extends RuntimeException {
        UnreadableSecret(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public String seal(String plain, String boundTo) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String open(String sealed, String boundTo) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new UnreadableSecret("not a sealed value", null);
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UnreadableSecret(
                    "stored credentials cannot be decrypted with this instance's key: is HERALD_SECRETS_KEY the same on"
                            + " every instance, and the one they were saved with?",
                    e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(sha256(material()), "AES");
                }
                known = key;
            }
        }
        return known;
    }

    private String material() {
        if (config.secretsKey().isPresent()) {
            String configured = config.secretsKey().get();
            if (configured.length() < MIN_KEY_CHARS) {
                throw new IllegalStateException("HERALD_SECRETS_KEY must be at least " + MIN_KEY_CHARS + " characters");
            }
            return configured;
        }
        Path file = Path.of(config.dataDir()).resolve("secrets.key");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(random));
                } catch (FileAlreadyExistsException raced) {
                    // another start wrote it first: read theirs
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the secrets key in " + file + "; set HERALD_SECRETS_KEY", e);
        }
    }

    private static byte[] sha256(String material) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
