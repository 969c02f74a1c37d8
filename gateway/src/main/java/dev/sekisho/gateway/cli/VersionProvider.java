package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import picocli.CommandLine;

/** Prints the gateway's version. */
public final class VersionProvider
        implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {"Sekisho " + Gateway.version()};
    }
}
