package io.herald.console.account;

import java.time.Instant;

/** A local console account; {@link LocalSignIn} checks the sign-in form against it (bcrypt, Modular Crypt Format). */
public class ConsoleAccount {
    public String username;

    public String passwordHash;

    public String role;

    public Instant createdAt;

    /** Sessions that began under another epoch have ended (signed out, or the password changed). */
    public long sessionEpoch;
}
