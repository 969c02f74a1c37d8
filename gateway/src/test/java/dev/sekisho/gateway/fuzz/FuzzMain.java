package dev.sekisho.gateway.fuzz;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one fuzz target with Jazzer outside Maven, for {@code bench/fuzz.sh} (which sets
 * {@code JAZZER_FUZZ=1}): {@code FuzzMain CLASS#METHOD CORPUS_DIR SECONDS}. The generated corpus
 * goes to CORPUS_DIR; what fails the target is written into its committed inputs. Exits 0 when the
 * target survived the whole time.
 */
public final class FuzzMain
{
    private FuzzMain() {}

    public static void main(String[] args)
    {
        if (args.length != 3) {
            System.err.println("usage: FuzzMain CLASS#METHOD CORPUS_DIR SECONDS");
            System.exit(2);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("jazzer.internal.arg.0", "fuzz");
        parameters.put("jazzer.internal.arg.1", args[1]);
        parameters.put("jazzer.internal.arg.2", "-max_total_time=" + args[2]);
        // an input that takes longer than this is a finding (a hang)
        parameters.put("jazzer.internal.arg.3", "-timeout=10");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(args[0].contains("(") ? args[0] : args[0] + "(com.code_intelligence.jazzer.api.FuzzedDataProvider)"))
                .configurationParameters(parameters)
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary result = summary.getSummary();
        result.printTo(new PrintWriter(System.out, true));
        result.printFailuresTo(new PrintWriter(System.out, true), 30);
        System.exit(result.getTotalFailureCount() == 0 && result.getTestsSucceededCount() > 0 ? 0 : 1);
    }
}
