package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.pg.catalog.PgCatalogData.Attribute;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Index;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Namespace;
import dev.sekisho.planner.pg.catalog.PgCatalogData.Relation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static dev.sekisho.planner.pg.catalog.PgCatalog.PG_CATALOG;
import static dev.sekisho.planner.pg.catalog.PgCatalog.row;

/** The relations of {@code pg_catalog}, with PostgreSQL 15's columns and OIDs. */
final class PgCatalogRelations
{
    private static final long OWNER = Oids.OWNER_OID;
    /** {@code pg_class} itself: the {@code classoid} of comments on tables and columns. */
    private static final long PG_CLASS_OID = 1259;
    private static final List<String[]> SETTINGS = List.of(
            new String[] {"max_index_keys", "32", "Preset Options", "integer"},
            new String[] {"max_identifier_length", "63", "Preset Options", "integer"},
            new String[] {"server_version", "15.0", "Preset Options", "string"},
            new String[] {"server_version_num", "150000", "Preset Options", "integer"},
            new String[] {"server_encoding", "UTF8", "Preset Options", "string"},
            new String[] {"client_encoding", "UTF8", "Client Connection Defaults / Locale and Formatting", "string"},
            new String[] {"lc_collate", "C", "Preset Options", "string"},
            new String[] {"lc_ctype", "C", "Preset Options", "string"},
            new String[] {"standard_conforming_strings", "on", "Version and Platform Compatibility", "bool"},
            new String[] {"integer_datetimes", "on", "Preset Options", "bool"},
            new String[] {"DateStyle", "ISO, MDY", "Client Connection Defaults / Locale and Formatting", "string"},
            new String[] {"IntervalStyle", "postgres", "Client Connection Defaults / Locale and Formatting", "enum"},
            new String[] {"TimeZone", "UTC", "Client Connection Defaults / Locale and Formatting", "string"},
            new String[] {"transaction_isolation", "read committed", "Client Connection Defaults / Statement Behavior", "enum"},
            new String[] {"default_transaction_read_only", "on", "Client Connection Defaults / Statement Behavior", "bool"},
            new String[] {"search_path", "\"$user\", public", "Client Connection Defaults / Statement Behavior", "string"},
            new String[] {"block_size", "8192", "Preset Options", "integer"});

    /** The default value of a setting pg_settings lists, if it lists it (case-insensitive). */
    static java.util.Optional<String> defaultSetting(String name)
    {
        return SETTINGS.stream().filter(setting -> setting[0].equalsIgnoreCase(name)).map(setting -> setting[1]).findFirst();
    }

    private PgCatalogRelations() {}

    static void define(PgCatalog catalog)
    {
        catalog.add(PG_CATALOG, "pg_namespace", 2615, 'r', "oid oid, nspname name, nspowner oid, nspacl acl", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Namespace namespace : data.namespaces()) {
                rows.add(row(namespace.oid(), namespace.name(), OWNER, null));
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_class", PG_CLASS_OID, 'r', "oid oid, relname name, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid, "
                + "relfilenode oid, reltablespace oid, relpages int4, reltuples float4, relallvisible int4, reltoastrelid oid, relhasindex bool, "
                + "relisshared bool, relpersistence char, relkind char, relnatts int2, relchecks int2, relhasrules bool, relhastriggers bool, "
                + "relhassubclass bool, relrowsecurity bool, relforcerowsecurity bool, relispopulated bool, relreplident char, relispartition bool, "
                + "relrewrite oid, relfrozenxid xid, relminmxid xid, relacl acl, reloptions text[], relpartbound node", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                boolean hasIndex = !relation.indexes().isEmpty();
                long am = relation.kind() == 'r' ? Oids.HEAP_AM : 0;
                rows.add(classRow(relation.oid(), relation.name(), relation.namespace().oid(), am, relation.rowEstimate(), hasIndex, relation.kind(),
                        relation.attributes().size()));
                for (Index index : relation.indexes()) {
                    rows.add(classRow(index.indexOid(), index.name(), relation.namespace().oid(), Oids.BTREE_AM, relation.rowEstimate(), false, 'i',
                            index.keys().size()));
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_attribute", 1249, 'r', "attrelid oid, attname name, atttypid oid, attstattarget int4, attlen int2, attnum int2, "
                + "attndims int4, attcacheoff int4, atttypmod int4, attbyval bool, attalign char, attstorage char, attcompression char, attnotnull bool, "
                + "atthasdef bool, atthasmissing bool, attidentity char, attgenerated char, attisdropped bool, attislocal bool, attinhcount int4, "
                + "attcollation oid, attacl acl, attoptions text[], attfdwoptions text[], attmissingval anyarray", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                for (Attribute attribute : relation.attributes()) {
                    rows.add(attributeRow(data, relation.oid(), attribute.name(), attribute.typeOid(), attribute.number(), attribute.typmod(), attribute.notNull()));
                }
                for (Index index : relation.indexes()) {
                    int position = 1;
                    for (int key : index.keys()) {
                        Attribute attribute = relation.attributes().stream().filter(candidate -> candidate.number() == key).findFirst().orElseThrow();
                        rows.add(attributeRow(data, index.indexOid(), attribute.name(), attribute.typeOid(), position++, attribute.typmod(), false));
                    }
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_type", 1247, 'r', "oid oid, typname name, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype char, "
                + "typcategory char, typispreferred bool, typisdefined bool, typdelim char, typrelid oid, typsubscript regproc, typelem oid, typarray oid, "
                + "typinput regproc, typoutput regproc, typreceive regproc, typsend regproc, typmodin regproc, typmodout regproc, typanalyze regproc, "
                + "typalign char, typstorage char, typnotnull bool, typbasetype oid, typtypmod int4, typndims int4, typcollation oid, "
                + "typdefaultbin node, typdefault text, typacl acl", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (PgTypeInfo type : PgTypeInfo.all()) {
                boolean array = type.isArray();
                String base = array ? "array" : type.name();
                char typtype = type.category() == 'P' ? 'p' : 'b';
                boolean byValue = type.length() > 0 && type.length() <= 8;
                char align = type.length() == 8 ? 'd' : type.length() == 2 ? 's' : type.length() == 1 || type.length() == -2 ? 'c' : 'i';
                long collation = type.category() == 'S' && !array ? 100 : 0;
                rows.add(row(type.oid(), type.name(), Oids.PG_CATALOG_NAMESPACE, OWNER, type.length(), byValue, String.valueOf(typtype),
                        String.valueOf(type.category()), type.oid() == PgTypeInfo.TEXT || type.oid() == PgTypeInfo.FLOAT8 || type.oid() == PgTypeInfo.BOOL,
                        true, ",", 0L, array ? "array_subscript_handler" : "-", (long) type.element(), (long) type.array(),
                        base + "_in", base + "_out", base + "_recv", base + "_send", "-", "-", "-",
                        String.valueOf(align), type.length() == -1 ? "x" : "p", false, 0L, -1, array ? 1 : 0, collation, null, null, null));
            }
            for (PgCatalogData.UserType type : data.userTypes()) {
                PgTypeInfo info = type.info();
                PgTypeInfo base = type.isEnum() ? null : PgTypeInfo.byOid(PgTypeInfo.oidOf(type.type())).orElseThrow();
                String functions = type.isEnum() ? "enum" : "domain";
                boolean byValue = info.length() > 0 && info.length() <= 8;
                char align = info.length() == 8 ? 'd' : info.length() == 2 ? 's' : info.length() == 1 ? 'c' : 'i';
                long collation = info.category() == 'S' ? 100 : 0;
                rows.add(row((long) info.oid(), info.name(), type.namespace(), OWNER, info.length(), byValue, type.isEnum() ? "e" : "d",
                        String.valueOf(info.category()), false, true, ",", 0L, "-", 0L, (long) info.array(),
                        functions + "_in", type.isEnum() ? "enum_out" : base.name() + "out", functions + "_recv", type.isEnum() ? "enum_send" : base.name() + "send",
                        "-", "-", "-", String.valueOf(align), info.length() == -1 ? "x" : "p", false, base == null ? 0L : (long) base.oid(),
                        type.isEnum() ? -1 : PgTypeInfo.typmodOf(type.type()), 0, collation, null, null, null));
                PgTypeInfo array = type.arrayInfo();
                rows.add(row((long) array.oid(), array.name(), type.namespace(), OWNER, -1, false, "b", "A", false, true, ",", 0L,
                        "array_subscript_handler", (long) info.oid(), 0L, "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze",
                        String.valueOf(align == 'd' ? 'd' : 'i'), "x", false, 0L, -1, 0, collation, null, null, null));
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_attrdef", 2604, 'r', "oid oid, adrelid oid, adnum int2, adbin node", data -> List.of());
        catalog.add(PG_CATALOG, "pg_description", 2609, 'r', "objoid oid, classoid oid, objsubid int4, description text", data -> {
            // the sources' comments on the tables and columns the session sees
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.userRelations()) {
                if (relation.description() != null) {
                    rows.add(row(relation.oid(), PG_CLASS_OID, 0, relation.description()));
                }
                for (Attribute attribute : relation.attributes()) {
                    if (attribute.description() != null) {
                        rows.add(row(relation.oid(), PG_CLASS_OID, attribute.number(), attribute.description()));
                    }
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_index", 2610, 'r', "indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool, "
                + "indnullsnotdistinct bool, indisprimary bool, indisexclusion bool, indimmediate bool, indisclustered bool, indisvalid bool, "
                + "indcheckxmin bool, indisready bool, indislive bool, indisreplident bool, indkey int2vector, indcollation oidvector, "
                + "indclass oidvector, indoption int2vector, indexprs node, indpred node", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                for (Index index : relation.indexes()) {
                    List<Integer> keys = index.keys();
                    String zeros = keys.stream().map(key -> "0").collect(Collectors.joining(" "));
                    rows.add(row(index.indexOid(), relation.oid(), keys.size(), keys.size(), index.unique(), false, index.primary(), false, true, false,
                            true, false, true, true, false, keys.stream().map(String::valueOf).collect(Collectors.joining(" ")), zeros, zeros, zeros, null, null));
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_constraint", 2606, 'r', "oid oid, conname name, connamespace oid, contype char, condeferrable bool, "
                + "condeferred bool, convalidated bool, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, confupdtype char, "
                + "confdeltype char, confmatchtype char, conislocal bool, coninhcount int4, connoinherit bool, conkey int2[], confkey int2[], "
                + "conpfeqop oid[], conppeqop oid[], conffeqop oid[], confdelsetcols int2[], conexclop oid[], conbin node", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (Relation relation : data.relations()) {
                for (Index index : relation.indexes()) {
                    if (!index.hasConstraint()) {
                        continue;
                    }
                    String keys = index.keys().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
                    rows.add(row(index.constraintOid(), index.name(), relation.namespace().oid(), index.primary() ? "p" : "u", false, false, true,
                            relation.oid(), 0L, index.indexOid(), 0L, 0L, " ", " ", " ", true, 0, true, keys, null, null, null, null,
                            null, null, null));
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_am", 2601, 'r', "oid oid, amname name, amhandler regproc, amtype char", data -> List.of(
                row(Oids.HEAP_AM, "heap", "heap_tableam_handler", "t"),
                row(Oids.BTREE_AM, "btree", "bthandler", "i"),
                row(405L, "hash", "hashhandler", "i"),
                row(783L, "gist", "gisthandler", "i"),
                row(2742L, "gin", "ginhandler", "i"),
                row(4000L, "spgist", "spghandler", "i"),
                row(3580L, "brin", "brinhandler", "i")));
        catalog.add(PG_CATALOG, "pg_opclass", 2616, 'r', "oid oid, opcmethod oid, opcname name, opcnamespace oid, opcowner oid, opcfamily oid, "
                + "opcintype oid, opcdefault bool, opckeytype oid", data -> List.of());
        catalog.add(PG_CATALOG, "pg_proc", 1255, 'r', "oid oid, proname name, pronamespace oid, proowner oid, prolang oid, procost float4, "
                + "prorows float4, provariadic oid, prosupport regproc, prokind char, prosecdef bool, proleakproof bool, proisstrict bool, "
                + "proretset bool, provolatile char, proparallel char, pronargs int2, pronargdefaults int2, prorettype oid, proargtypes oidvector, "
                + "proallargtypes oid[], proargmodes char[], proargnames text[], proargdefaults node, protrftypes oid[], prosrc text, probin text, "
                + "prosqlbody node, proconfig text[], proacl acl", data -> List.of());
        catalog.add(PG_CATALOG, "pg_database", 1262, 'r', "oid oid, datname name, datdba oid, encoding int4, datlocprovider char, "
                + "datistemplate bool, datallowconn bool, datconnlimit int4, datfrozenxid xid, datminmxid xid, dattablespace oid, datcollate text, "
                + "datctype text, daticulocale text, datcollversion text, datacl acl", data -> List.<Object[]>of(
                row(Oids.DATABASE_OID, data.database(), OWNER, 6, "c", false, true, -1, 0L, 1L, 1663L, "C", "C", null, null, null)));
        catalog.add(PG_CATALOG, "pg_settings", 12000, 'v', "name text, setting text, unit text, category text, short_desc text, extra_desc text, "
                + "context text, vartype text, source text, min_val text, max_val text, enumvals text[], boot_val text, reset_val text, "
                + "sourcefile text, sourceline int4, pending_restart bool", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (String[] setting : SETTINGS) {
                rows.add(row(setting[0], setting[1], null, setting[2], "", null, "internal", setting[3], "default", null, null, null,
                        setting[1], setting[1], null, null, false));
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_roles", 12001, 'v', "rolname name, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool, "
                + "rolcanlogin bool, rolreplication bool, rolconnlimit int4, rolpassword text, rolvaliduntil timestamptz, rolbypassrls bool, "
                + "rolconfig text[], oid oid", data -> roles(data).stream()
                .map(name -> row(name, false, true, false, false, true, false, -1, "********", null, false, null, PgCatalog.roleOid(name)))
                .toList());
        catalog.add(PG_CATALOG, "pg_user", 12002, 'v', "usename name, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, "
                + "usebypassrls bool, passwd text, valuntil timestamptz, useconfig text[]", data -> roles(data).stream()
                .map(name -> row(name, PgCatalog.roleOid(name), false, false, false, false, "********", null, null))
                .toList());
        catalog.add(PG_CATALOG, "pg_auth_members", 1261, 'r', "roleid oid, member oid, grantor oid, admin_option bool", data -> List.of());
        catalog.add(PG_CATALOG, "pg_enum", 3501, 'r', "oid oid, enumtypid oid, enumsortorder float4, enumlabel name", data -> {
            List<Object[]> rows = new ArrayList<>();
            for (PgCatalogData.UserType type : data.userTypes()) {
                List<String> labels = type.named().labels();
                for (int i = 0; i < labels.size(); i++) {
                    String qualified = type.named().schema() + "." + type.named().name();
                    rows.add(row(Oids.of("enum-label:" + qualified + "." + labels.get(i)), (long) type.info().oid(), (float) (i + 1), labels.get(i)));
                }
            }
            return rows;
        });
        catalog.add(PG_CATALOG, "pg_collation", 3456, 'r', "oid oid, collname name, collnamespace oid, collowner oid, collprovider char, "
                + "collisdeterministic bool, collencoding int4, collcollate text, collctype text, colliculocale text, collversion text", data -> List.of(
                row(100L, "default", Oids.PG_CATALOG_NAMESPACE, OWNER, "d", true, -1, null, null, null, null),
                row(950L, "C", Oids.PG_CATALOG_NAMESPACE, OWNER, "c", true, -1, "C", "C", null, null),
                row(951L, "POSIX", Oids.PG_CATALOG_NAMESPACE, OWNER, "c", true, -1, "POSIX", "POSIX", null, null)));
        catalog.add(PG_CATALOG, "pg_extension", 3079, 'r', "oid oid, extname name, extowner oid, extnamespace oid, extrelocatable bool, "
                + "extversion text, extconfig oid[], extcondition text[]", data -> List.<Object[]>of(
                row(13500L, "plpgsql", OWNER, Oids.PG_CATALOG_NAMESPACE, false, "1.0", null, null)));
        catalog.add(PG_CATALOG, "pg_inherits", 2611, 'r', "inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool", data -> List.of());
        catalog.add(PG_CATALOG, "pg_sequence", 2224, 'r', "seqrelid oid, seqtypid oid, seqstart int8, seqincrement int8, seqmax int8, seqmin int8, "
                + "seqcache int8, seqcycle bool", data -> List.of());
        catalog.add(PG_CATALOG, "pg_policy", 3256, 'r', "oid oid, polname name, polrelid oid, polcmd char, polpermissive bool, polroles oid[], "
                + "polqual node, polwithcheck node", data -> List.of());
        catalog.add(PG_CATALOG, "pg_statistic_ext", 3381, 'r', "oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, "
                + "stxstattarget int4, stxkeys int2vector, stxkind char[], stxexprs node", data -> List.of());
        catalog.add(PG_CATALOG, "pg_publication", 6104, 'r', "oid oid, pubname name, pubowner oid, puballtables bool, pubinsert bool, "
                + "pubupdate bool, pubdelete bool, pubtruncate bool, pubviaroot bool", data -> List.of());
        catalog.add(PG_CATALOG, "pg_publication_rel", 6106, 'r', "oid oid, prpubid oid, prrelid oid, prqual node, prattrs int2vector", data -> List.of());
        catalog.add(PG_CATALOG, "pg_tablespace", 1213, 'r', "oid oid, spcname name, spcowner oid, spcacl acl, spcoptions text[]", data -> List.of(
                row(1663L, "pg_default", OWNER, null, null),
                row(1664L, "pg_global", OWNER, null, null)));
        catalog.add(PG_CATALOG, "pg_db_role_setting", 2964, 'r', "setdatabase oid, setrole oid, setconfig text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_language", 2612, 'r', "oid oid, lanname name, lanowner oid, lanispl bool, lanpltrusted bool, lanplcallfoid oid, "
                + "laninline oid, lanvalidator oid, lanacl acl", data -> List.of(
                row(12L, "internal", OWNER, false, false, 0L, 0L, 2246L, null),
                row(13L, "c", OWNER, false, false, 0L, 0L, 2247L, null),
                row(14L, "sql", OWNER, false, true, 0L, 0L, 2248L, null)));
        catalog.add(PG_CATALOG, "pg_cast", 2605, 'r', "oid oid, castsource oid, casttarget oid, castfunc oid, castcontext char, castmethod char",
                data -> List.of());
        catalog.add(PG_CATALOG, "pg_operator", 2617, 'r', "oid oid, oprname name, oprnamespace oid, oprowner oid, oprkind char, oprcanmerge bool, "
                + "oprcanhash bool, oprleft oid, oprright oid, oprresult oid, oprcom oid, oprnegate oid, oprcode regproc, oprrest regproc, "
                + "oprjoin regproc", data -> List.of());
        catalog.add(PG_CATALOG, "pg_foreign_data_wrapper", 2328, 'r', "oid oid, fdwname name, fdwowner oid, fdwhandler oid, fdwvalidator oid, "
                + "fdwacl acl, fdwoptions text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_foreign_server", 1417, 'r', "oid oid, srvname name, srvowner oid, srvfdw oid, srvtype text, srvversion text, "
                + "srvacl acl, srvoptions text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_event_trigger", 3466, 'r', "oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid, evtenabled char, "
                + "evttags text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_depend", 2608, 'r', "classid oid, objid oid, objsubid int4, refclassid oid, refobjid oid, refobjsubid int4, "
                + "deptype char", data -> List.of());
        catalog.add(PG_CATALOG, "pg_subscription", 6100, 'r', "oid oid, subdbid oid, subskiplsn text, subname name, subowner oid, subenabled bool, "
                + "subbinary bool, substream bool, subtwophasestate char, subdisableonerr bool, subconninfo text, subslotname name, "
                + "subsynccommit text, subpublications text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_foreign_table", 3118, 'r', "ftrelid oid, ftserver oid, ftoptions text[]", data -> List.of());
        catalog.add(PG_CATALOG, "pg_largeobject_metadata", 2995, 'r', "oid oid, lomowner oid, lomacl acl", data -> List.of());
        catalog.add(PG_CATALOG, "pg_ts_config", 3602, 'r', "oid oid, cfgname name, cfgnamespace oid, cfgowner oid, cfgparser oid", data -> List.of());
        catalog.add(PG_CATALOG, "pg_publication_namespace", 6237, 'r', "oid oid, pnpubid oid, pnnspid oid", data -> List.of());
        catalog.add(PG_CATALOG, "pg_stat_user_tables", 12003, 'v', "relid oid, schemaname name, relname name, seq_scan int8, seq_tup_read int8, "
                + "idx_scan int8, idx_tup_fetch int8, n_tup_ins int8, n_tup_upd int8, n_tup_del int8, n_tup_hot_upd int8, n_live_tup int8, "
                + "n_dead_tup int8, n_mod_since_analyze int8, n_ins_since_vacuum int8, last_vacuum timestamptz, last_autovacuum timestamptz, "
                + "last_analyze timestamptz, last_autoanalyze timestamptz, vacuum_count int8, autovacuum_count int8, analyze_count int8, "
                + "autoanalyze_count int8", data -> data.userRelations().stream().filter(relation -> relation.kind() == 'r')
                .map(relation -> row(relation.oid(), relation.namespace().name(), relation.name(), 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L,
                        Math.max(0, relation.rowEstimate()), 0L, 0L, 0L, null, null, null, null, 0L, 0L, 0L, 0L))
                .toList());
        catalog.add(PG_CATALOG, "pg_stat_activity", 12004, 'v', "datid oid, datname name, pid int4, leader_pid int4, usesysid oid, usename name, "
                + "application_name text, client_addr inet, client_hostname text, client_port int4, backend_start timestamptz, "
                + "xact_start timestamptz, query_start timestamptz, state_change timestamptz, wait_event_type text, wait_event text, state text, "
                + "backend_xid xid, backend_xmin xid, query_id int8, query text, backend_type text", data -> List.of());
        catalog.add(PG_CATALOG, "pg_tables", 12005, 'v', "schemaname name, tablename name, tableowner name, tablespace name, hasindexes bool, "
                + "hasrules bool, hastriggers bool, rowsecurity bool", data -> data.relations().stream().filter(relation -> relation.kind() == 'r')
                .map(relation -> row(relation.namespace().name(), relation.name(), PgCatalog.OWNER, null, !relation.indexes().isEmpty(), false, false, false))
                .toList());
        catalog.add(PG_CATALOG, "pg_views", 12006, 'v', "schemaname name, viewname name, viewowner name, definition text", data -> data.relations()
                .stream().filter(relation -> relation.kind() == 'v')
                .map(relation -> row(relation.namespace().name(), relation.name(), PgCatalog.OWNER, null))
                .toList());
        catalog.add(PG_CATALOG, "pg_matviews", 12007, 'v', "schemaname name, matviewname name, matviewowner name, tablespace name, "
                + "hasindexes bool, ispopulated bool, definition text", data -> data.relations().stream().filter(relation -> relation.kind() == 'm')
                .map(relation -> row(relation.namespace().name(), relation.name(), PgCatalog.OWNER, null, !relation.indexes().isEmpty(), true, null))
                .toList());
        catalog.add(PG_CATALOG, "pg_indexes", 12008, 'v', "schemaname name, tablename name, indexname name, tablespace name, indexdef text",
                data -> data.relations().stream().flatMap(relation -> relation.indexes().stream()
                                .map(index -> row(relation.namespace().name(), relation.name(), index.name(), null, PgCatalogFunctions.indexDefinition(relation, index))))
                        .toList());
    }

    private static List<String> roles(PgCatalogData data)
    {
        return data.user().equals(PgCatalog.OWNER) ? List.of(PgCatalog.OWNER) : List.of(PgCatalog.OWNER, data.user());
    }

    private static Object[] classRow(long oid, String name, long namespace, long am, long rows, boolean hasIndex, char kind, int attributes)
    {
        return row(oid, name, namespace, 0L, 0L, OWNER, am, oid, 0L, 0, rows < 0 ? -1f : (float) rows, 0, 0L, hasIndex, false, "p",
                String.valueOf(kind), attributes, 0, false, false, false, false, false, true, kind == 'r' ? "d" : "n", false, 0L, 0L, 1L,
                null, null, null);
    }

    private static Object[] attributeRow(PgCatalogData data, long relation, String name, int type, int number, int typmod, boolean notNull)
    {
        PgTypeInfo info = data.type(type).orElseThrow();
        long collation = info.category() == 'S' && !info.isArray() ? 100 : 0;
        return row(relation, name, (long) type, -1, info.length(), number, info.isArray() ? 1 : 0, -1, typmod, info.length() > 0 && info.length() <= 8,
                info.length() == 8 ? "d" : "i", info.length() == -1 ? "x" : "p", "", notNull, false, false, "", "", false, true, 0, collation,
                null, null, null, null);
    }
}
