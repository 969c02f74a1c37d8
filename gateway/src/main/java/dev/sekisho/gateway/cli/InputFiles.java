package dev.sekisho.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files and folders named on the command line, checked before any work starts, so that a typo in
 * a path is reported as such (with what to give instead) rather than as a failure deep inside.
 */
final class InputFiles
{
    private InputFiles() {}

    /**
     * @param what what the file is, e.g. "configuration file"
     * @param remedy what to give instead, one sentence
     */
    static void requireFile(Path file, String what, String remedy)
    {
        if (Files.isDirectory(file)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + file + " is a folder, not a file", remedy);
        }
        if (!Files.exists(file)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + file + " not found", remedy);
        }
        if (!Files.isReadable(file)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + file + " cannot be read (permission denied)",
                    "Let the user that runs sekisho read it, or give another file.");
        }
    }

    /** Like {@link #requireFile}, for a folder. */
    static void requireFolder(Path folder, String what, String remedy)
    {
        if (!Files.exists(folder)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + folder + " not found", remedy);
        }
        if (!Files.isDirectory(folder)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + folder + " is a file, not a folder", remedy);
        }
        if (!Files.isReadable(folder)) {
            throw new CliFailure(ExitCode.INVALID, what + " " + folder + " cannot be read (permission denied)",
                    "Let the user that runs sekisho read it, or give another folder.");
        }
    }
}
