/**
 * The spend ledger: BigQuery bytes per person and team per day and month, kept in a database
 * through JDBC (an embedded H2 file by default, a shared PostgreSQL or MySQL/MariaDB database when
 * several gateways run). Reservations before a statement runs, settlement with the billed bytes
 * after; a restart keeps everyone's spend.
 */
package dev.sekisho.gateway.ledger;
