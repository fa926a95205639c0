import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

// What Druid does with druid.zk.service.host / druid.zk.paths.base, reduced to ZooKeeper's own
// client: connect with the connect string as given, create the base path (and a child) if absent,
// write data, read it back; then read it from every server on its own (after `sync`) to show the
// write went through the quorum. Run with `java -cp <zookeeper jars> ZkDruidRoundTrip.java
// <connect> <basePath> <childName> <data> <host:port>...`. Prints one line per read:
// `READ <where> <data>`. Every wait is bounded; exits non-zero on any failure.
public class ZkDruidRoundTrip {
    static ZooKeeper connect(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 20000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("not connected to " + connect + " within 20 s");
        }
        return zk;
    }

    static void createIfAbsent(ZooKeeper zk, String path, byte[] data) throws Exception {
        try {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // fine: a previous run or another writer created it
        }
    }

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        String base = args[1];
        String child = base + "/" + args[2];
        byte[] data = args[3].getBytes(StandardCharsets.UTF_8);
        try (ZooKeeper zk = connect(connect)) {
            // Parents first, as Curator's creatingParentsIfNeeded() does for Druid.
            StringBuilder p = new StringBuilder();
            for (String part : base.substring(1).split("/")) {
                p.append('/').append(part);
                createIfAbsent(zk, p.toString(), new byte[0]);
            }
            zk.create(child, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            System.out.println("READ connect-string " + new String(zk.getData(child, false, null), StandardCharsets.UTF_8));
        }
        for (int i = 4; i < args.length; i++) {
            try (ZooKeeper zk = connect(args[i])) {
                CountDownLatch synced = new CountDownLatch(1);
                zk.sync(child, (rc, path, ctx) -> synced.countDown(), null);
                if (!synced.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("sync on " + args[i] + " timed out");
                System.out.println("READ " + args[i] + " " + new String(zk.getData(child, false, null), StandardCharsets.UTF_8));
            }
        }
    }
}
