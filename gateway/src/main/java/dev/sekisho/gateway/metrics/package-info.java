/**
 * Prometheus metrics through Micrometer: {@link dev.sekisho.gateway.metrics.GatewayMetrics}
 * counts what the execution layer's hooks hear (connections, logins, statements by outcome and
 * front door, latency by source) and reads the gateway's parts when scraped (replica states and
 * lag, audit queue and drops, policy reloads). The admin endpoint serves {@code /metrics}.
 */
package dev.sekisho.gateway.metrics;
