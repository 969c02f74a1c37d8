package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.auth.ScramVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code sekisho hash-password}: turns a password into the SCRAM-SHA-256 verifier that the users
 * file holds. The password is read from the terminal (twice) or from standard input, never from
 * the command line, where it would land in shell history and process lists.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Print the SCRAM-SHA-256 verifier for a password, for the users file.")
public final class HashPasswordCommand
        implements Callable<Integer>
{
    @Option(names = "--stdin", description = "Read the password from the first line of standard input instead of prompting.")
    private boolean stdin;

    @Override
    public Integer call()
            throws IOException
    {
        char[] password;
        Console console = System.console();
        if (stdin || console == null) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null) {
                throw new CliFailure(ExitCode.INVALID, "no password on standard input",
                        "Pipe the password in as one line (printf '%s\\n' \"$PASSWORD\" | ./sekisho hash-password --stdin), or run it in a terminal to be asked.");
            }
            password = line.toCharArray();
        }
        else {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                wipe(password);
                wipe(again);
                throw new CliFailure(ExitCode.INVALID, "the two passwords differ", "Run ./sekisho hash-password again and type the same password twice.");
            }
            Arrays.fill(again, '\0');
        }
        if (password.length == 0) {
            throw new CliFailure(ExitCode.INVALID, "the password is empty", "Give a password of at least one character.");
        }
        try {
            System.out.println(ScramVerifier.create(password).encoded());
        }
        finally {
            Arrays.fill(password, '\0');
        }
        return ExitCode.OK;
    }

    private static void wipe(char[] secret)
    {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
