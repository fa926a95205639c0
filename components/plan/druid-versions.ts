/*
 * The Druid releases this component supports, and every behaviour of theirs it depends on, decided
 * in one place. Pure data and functions: no Pulumi imports.
 *
 * A `druidVersion` maps to a row by its major number ("37.0.0" and a patch release "37.0.1" are row
 * 37): Druid numbers its feature releases <major>.0.0 and its bug-fix releases <major>.0.<n>, cut
 * from the same release branch, so a patch release keeps its row's scripts and defaults. A custom
 * `image` is taken to be built from the release its tag (druidVersion) names, with that release's
 * /druid.sh and /peon.sh. Versions outside the rows are refused (validate with `checkDruidVersion`).
 *
 * Every fact names its source. Where a fact is read from a pull request or a commit instead of the
 * release tag's own text, its source says so and says why it holds at the tag (the PR's merge date
 * against the date of the tag's release commit).
 */
import { DruidArgumentError } from "../core/errors";

/** Where a fact comes from: repository, tag or commit, path, line or member. */
export interface VersionFactSource {
    repo: string;
    ref: string;
    path: string;
    at: string;
}

/** How a release's /peon.sh (the task pod's command with the Kubernetes task runner) starts the Peon JVM. */
export interface PeonShFacts {
    /**
     * Whether peon.sh adds the flags of its service directory's jvm.config to the JVM (it reads the
     * Overlord's, `SERVICE="overlord"`). When it does not, only `JAVA_OPTS` from the environment reaches
     * the JVM: `exec bin/run-java ${JAVA_OPTS} -cp … org.apache.druid.cli.Main internal peon …`.
     */
    readsJvmConfig: boolean;
    /**
     * Whether peon.sh passes CliPeon's two positional arguments (`@Arguments("taskDirPath attemptId")`)
     * itself, as `"${TASK_DIR}" 1`. Before apache/druid#18206 it passed only its own arguments (`$@`),
     * so the container's command had to give them.
     */
    passesTaskDirAndAttempt: boolean;
    sources: VersionFactSource[];
}

/** One supported Druid release line. */
export interface DruidRelease {
    /** The major number: "37.0.0" and "37.0.1" are both row 37. */
    major: number;
    /** The release this row's facts were read for. */
    release: string;
    /** Its git tag in apache/druid. */
    tag: string;
    /** The commit the release was cut from, where known (the release plugin's "prepare release" commit). */
    releaseCommit?: { sha: string; date: string; source: VersionFactSource };
    /** Extensions that must be in druid.extensions.loadList for the multi-stage query engine. */
    msqExtensions: { names: string[]; source: VersionFactSource };
    /**
     * Java versions the release supports. The Java inside `apache/druid:<release>` (its Dockerfile's
     * JDK_VERSION at the tag) is not recorded: the tag's Dockerfile was not readable here. The flags
     * the component writes are valid on both 17 and 21.
     */
    java: { supported: number[]; source: VersionFactSource };
    peonSh: PeonShFacts;
    /**
     * The environment PodTemplateTaskAdapter.getEnv adds to a task pod's first container; TASK_DIR is
     * the Overlord's `druid.indexer.task.baseDir` (TaskConfig.getBaseDir(), default java.io.tmpdir),
     * not baseTaskDir.
     */
    taskPodEnv: { names: string[]; taskDirFrom: "druid.indexer.task.baseDir"; source: VersionFactSource };
    /**
     * Whether the Broker has the tier selector `druid.broker.select.tier=preferred` with
     * `druid.broker.select.tier.preferred.tier` (apache/druid#18136), which zone-local Brokers
     * (`query.broker.preferZoneOf`) are configured with; a release without it is refused for them.
     */
    preferredTierSelector: { supported: boolean; sources: VersionFactSource[] };
}

const pr = (n: number, what: string): VersionFactSource => ({ repo: "apache/druid", ref: `pull request #${n}`, path: "", at: what });

/** apache/druid#18206 (commit c494dd15ae, July 2025, before the 35.0.0 branch): peon.sh passes `"${TASK_DIR}" 1`. */
const peonArgumentsPr: VersionFactSource = {
    repo: "apache/druid", ref: "c494dd15ae (pull request #18206, July 2025)", path: "distribution/docker/peon.sh",
    at: "`org.apache.druid.cli.Main internal peon` became `… internal peon \"${TASK_DIR}\" 1` (CliPeon @Arguments(\"taskDirPath attemptId\"))",
};

/**
 * apache/druid#19364 (fixes #18791), merged to master on 2026-05-18: only from then does peon.sh read
 * jvm.config (`JAVA_OPTS="$(cat $SERVICE_CONF_DIR/jvm.config | xargs) $JAVA_OPTS"`). Every supported
 * release was cut before it (37.0.0 from druid-37.0.0-rc2, 2026-04-28), and no backport to a release
 * branch exists: their peon.sh passes `${JAVA_OPTS}` alone.
 */
const peonJvmConfigPr: VersionFactSource = {
    ...pr(19364, "merged 2026-05-18 into master: before it peon.sh runs `exec bin/run-java ${JAVA_OPTS} -cp …` and never reads $SERVICE_CONF_DIR/jvm.config " +
        "(the PR's description: \"PodTemplateTaskAdapter#getEnv does not inject JAVA_OPTS\"); apache/druid#19385 reports it on 34.0.0"),
    path: "distribution/docker/peon.sh",
};

const podTemplateTaskAdapterEnv: VersionFactSource = {
    repo: "apache/druid", ref: "023b1c7b39502e67b1139fadc7e1f63240f26d03 (a stored revision, not a release tag: the tags' copies were not readable here)",
    path: "extensions-core/kubernetes-overlord-extensions/src/main/java/org/apache/druid/k8s/overlord/taskadapter/PodTemplateTaskAdapter.java",
    at: "getEnv(Task): TASK_DIR = taskConfig.getBaseDir(), TASK_ID, LOAD_BROADCAST_DATASOURCE_MODE, LOAD_BROADCAST_SEGMENTS, TASK_JSON (fieldRef to the task annotation, unless the payload goes through deep storage); no JAVA_OPTS",
};

const msqCore: VersionFactSource = {
    ...pr(18394, "MSQ moved out of extensions-core into Druid's core for 35.0.0; upgrade note: \"the extension druid-multi-stage-query must be removed from druid.extensions.loadList. Otherwise, Druid services would fail to start\""),
    path: "docs/release-info/upgrade-notes.md",
};

const java35: VersionFactSource = {
    ...pr(18630, "35.0.0 release notes, \"Java support\": Java 21 supported, Java 11 support removed (upgrade to 17 or 21), apache/druid#18424 #18624"),
    path: "docs/release-info/release-notes.md",
};

/**
 * The Broker's `preferred` tier selector, in every supported release: apache/druid#18136 ("Add a
 * preferred tier selection strategy", FrankChen021, opened 2025-06-12, merged) is listed in the
 * 34.0.0 release notes ("Preferred tier selection: You can now configure the Broker service to
 * prefer Historicals on a specific tier ... within the same availability zone"): the notes list
 * merged pull requests, so it was on master when they were drafted (July 2025); 35.0.0, 36.0.0
 * and 37.0.0 were cut later from master. That it is in each of them is an inference from these
 * dates, not read at the release tags, which this
 * index does not hold (docs/versions.md). Its
 * configuration: PreferredTierSelectorStrategyConfig (`tier`, required and non-empty; `priority`,
 * "highest" by default) bound at `druid.broker.select.tier.preferred`; the strategy picks the
 * preferred tier's servers first and fills from the other tiers when it has too few. 37.0.0's
 * BrokerRealtimeSelectorModule (apache/druid#19062, merged before the 37.0.0 branch) names the
 * strategy by its type, `PreferredTierSelectorStrategy.TYPE`, beside `custom`, `strict` and `pooled`.
 */
const preferredTierSources: VersionFactSource[] = [
    {
        repo: "apache/druid", ref: "pull request #18231 (34.0.0 release notes; a release earlier than every supported one)", path: "docs/release-info/release-notes.md",
        at: "\"### Preferred tier selection\" ... [#18136](https://github.com/apache/druid/pull/18136)",
    },
    {
        repo: "apache/druid", ref: "326f46d62a13058e366c932a45e638c01ff99297 (pull request #18136)",
        path: "server/src/main/java/org/apache/druid/client/selector/PreferredTierSelectorStrategyConfig.java",
        at: "@JsonProperty(\"tier\") (checkState: \"druid.broker.select.tier.preferred.tier can't be empty\"), @JsonProperty(\"priority\")",
    },
    {
        repo: "apache/druid", ref: "f67ee369fff597a675a7e570947774ab886996c3 (pull request #19062, in 37.0.0)",
        path: "services/src/main/java/org/apache/druid/cli/BrokerRealtimeSelectorModule.java",
        at: "RealtimeTierSelectorStrategyProvider.get: PreferredTierSelectorStrategy.TYPE with PreferredTierSelectorStrategyConfig",
    },
];

const preferredTierSelector: DruidRelease["preferredTierSelector"] = { supported: true, sources: preferredTierSources };

const peon35to37: PeonShFacts = {
    readsJvmConfig: false,
    passesTaskDirAndAttempt: true,
    sources: [peonArgumentsPr, peonJvmConfigPr],
};

const taskPodEnv: DruidRelease["taskPodEnv"] = {
    names: ["TASK_DIR", "TASK_ID", "LOAD_BROADCAST_DATASOURCE_MODE", "LOAD_BROADCAST_SEGMENTS", "TASK_JSON"],
    taskDirFrom: "druid.indexer.task.baseDir",
    source: podTemplateTaskAdapterEnv,
};

/** The supported releases, oldest first. The default druidVersion is the newest. */
export const supportedDruidReleases: readonly DruidRelease[] = [
    {
        major: 35, release: "35.0.0", tag: "druid-35.0.0",
        msqExtensions: { names: [], source: msqCore },
        java: { supported: [17, 21], source: java35 },
        peonSh: peon35to37,
        taskPodEnv,
        preferredTierSelector,
    },
    {
        major: 36, release: "36.0.0", tag: "druid-36.0.0",
        msqExtensions: { names: [], source: msqCore },
        java: { supported: [17, 21], source: java35 },
        peonSh: peon35to37,
        taskPodEnv,
        preferredTierSelector,
    },
    {
        major: 37, release: "37.0.0", tag: "druid-37.0.0",
        releaseCommit: {
            sha: "7e761c14220cb25411593181589ddc71d06115ac", date: "2026-04-28",
            source: { repo: "apache/druid", ref: "druid-37.0.0-rc2", path: "(all pom.xml)", at: "[maven-release-plugin] prepare release druid-37.0.0-rc2 (commits@druid.apache.org)" },
        },
        msqExtensions: { names: [], source: msqCore },
        java: { supported: [17, 21], source: java35 },
        peonSh: peon35to37,
        taskPodEnv,
        preferredTierSelector,
    },
];

/**
 * Why releases below the oldest row are refused rather than supported: their peon.sh needs the task
 * directory and attempt id as arguments (before apache/druid#18206), MSQ is the
 * `druid-multi-stage-query` extension (before apache/druid#18394), and the Jetty 12 / Java facts
 * the component relies on differ.
 */
export const olderReleasesRefused = [peonArgumentsPr, msqCore];

/**
 * ZooKeeper server images: the official `zookeeper:3.8.x` image is the one whose entrypoint and
 * directories are checked (tests/support/image-entrypoints.ts, 31z4/zookeeper-docker 3.8.6), and
 * Debian's ZooKeeper 3.8 is the server the tests run. Another image or tag is accepted (a mirror, a
 * 3.9 server, which Druid's 3.8 client also speaks to) but is not what the tests check.
 */
export const supportedZooKeeperImages: { default: string; lines: string[]; source: VersionFactSource } = {
    default: "zookeeper:3.8.6",
    lines: ["3.8"],
    source: { repo: "31z4/zookeeper-docker", ref: "52a83649bc332b3324e0f0ecd96a1c88b2793022", path: "3.8.6/Dockerfile, 3.8.6/docker-entrypoint.sh", at: "whole files" },
};

/** The list of supported versions for messages: "35.x.y, 36.x.y or 37.x.y". */
export function supportedVersionsText(): string {
    const rows = supportedDruidReleases.map((r) => `${r.major}.0.x`);
    return rows.length === 1 ? rows[0] : `${rows.slice(0, -1).join(", ")} or ${rows[rows.length - 1]}`;
}

/** The row of a release number ("37.0.1" → row 37), or undefined when it is not supported. */
export function druidReleaseFor(version: string): DruidRelease | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
    if (m === null || m[2] !== "0") return undefined;
    return supportedDruidReleases.find((r) => r.major === Number(m[1]));
}

/** Refuses a druidVersion outside the matrix, naming the supported ones; returns its row. */
export function checkDruidVersion(version: string, argument = "druidVersion"): DruidRelease {
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
        throw new DruidArgumentError(argument, version, "must be a Druid release number such as \"37.0.0\"");
    }
    const row = druidReleaseFor(version);
    if (row === undefined) {
        const major = Number(version.split(".")[0]);
        const oldest = supportedDruidReleases[0].major;
        const why = major < oldest
            ? `; releases before ${oldest}.0.0 start Kubernetes-Job tasks differently (peon.sh without the task directory argument) and load MSQ as an extension`
            : major > supportedDruidReleases[supportedDruidReleases.length - 1].major
                ? "; this release's scripts and defaults have not been checked yet"
                : "";
        throw new DruidArgumentError(argument, version, `is not a supported Druid release: choose ${supportedVersionsText()} (see docs/versions.md)${why}`);
    }
    return row;
}

/** The multi-stage query engine's extensions for a supported release (none from 35: MSQ is core). */
export function msqExtensionFor(druidVersion: string): string[] {
    return druidReleaseFor(druidVersion)?.msqExtensions.names ?? [];
}
