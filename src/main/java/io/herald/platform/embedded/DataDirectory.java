package io.herald.platform.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one directory under which the embedded PostgreSQL and Artemis keep their data. */
public final class DataDirectory {
    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** Creates the directory if needed and proves it writable, or fails with a line the operator can act on. */
    public static DataDirectory open(String location) {
        Path root = Path.of(location).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupFailure(
                    "Data directory " + root + " is not usable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "). Make it writable or point HERALD_DATA_DIR at a writable directory.");
        }
        return new DataDirectory(root);
    }

    public Path root() {
        return root;
    }

    /**
     * A random secret kept in a file only the owner can read, created on first use: the same value on every start
     * with this data directory.
     */
    public String secret(String fileName) {
        Path file = root.resolve(fileName);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Path temporary = Files.createTempFile(
                    root,
                    fileName,
                    ".tmp",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, secret);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupFailure("Cannot keep " + file + " (" + e.getMessage()
                    + "). Make the data directory writable or set " + "HERALD_SESSION_KEY.");
        }
    }

    /** A sub-directory for one embedded part, created if missing. */
    public Path part(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupFailure("Cannot create " + dir + " (" + e.getMessage()
                    + "). Make the data directory writable or point HERALD_DATA_DIR elsewhere.");
        }
        return dir;
    }
}
