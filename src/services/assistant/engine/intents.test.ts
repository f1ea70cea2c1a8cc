import { beforeAll, describe, expect, it } from 'vitest';
import { extractCommands } from '../bash/commands';
import { initBashParser } from '../bash/parser';
import { applyRules } from './rules';

beforeAll(async () => {
  await initBashParser();
});

const first = (request: string, ctx: Parameters<typeof applyRules>[1] = {}): string | undefined =>
  applyRules(request, ctx)[0]?.command;

describe('everyday intents', () => {
  it.each([
    ['restart nginx', 'sudo systemctl restart nginx'],
    ['stop the docker service', 'sudo systemctl stop docker'],
    ['enable the frobd service', 'sudo systemctl enable frobd'],
    ['make docker start at boot', 'sudo systemctl enable docker'],
    ['stop cups from starting at boot', 'sudo systemctl disable cups'],
    ['is ssh running?', 'systemctl status ssh'],
    ['show the status of the ssh service', 'systemctl status ssh'],
    ['is firefox running', 'pgrep -a firefox'],
    ['reload systemd units', 'sudo systemctl daemon-reload'],
    ['show logs of the cups service', 'journalctl -u cups'],
    ['follow the nginx logs', 'journalctl -u nginx -f'],
    ['show errors from the journal since yesterday', 'journalctl -p err --since yesterday'],
    ['show the last 50 lines of syslog', 'tail -n 50 /var/log/syslog'],
    ['follow the nginx error log', 'sudo tail -f /var/log/nginx/error.log'],
    ['show kernel messages', 'sudo dmesg -T'],
  ])('services and logs: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['install htop', 'apt', 'sudo apt install htop'],
    ['install htop', 'pacman', 'sudo pacman -S htop'],
    ['remove the package vlc', 'dnf', 'sudo dnf remove vlc'],
    ['update all packages', 'apt', 'sudo apt update && sudo apt upgrade'],
    ['update all packages', 'pacman', 'sudo pacman -Syu'],
    ['refresh the package lists', 'apt', 'sudo apt update'],
    ['which package owns /usr/bin/curl', 'apt', 'dpkg -S /usr/bin/curl'],
    ['which package owns /usr/bin/curl', 'dnf', 'rpm -qf /usr/bin/curl'],
    ['list installed packages containing python', 'apt', 'dpkg -l | grep -i python'],
    ['is curl installed?', 'apt', 'dpkg -s curl'],
    ['search for a package that provides pdf tools', 'apt', 'apt search pdf'],
  ])('packages follow the package manager: %s (%s)', (request, pm, command) => {
    expect(first(request, { packageManager: pm })).toBe(command);
  });

  it('tells a program to uninstall from a file to delete by what is on PATH', () => {
    const commands = new Set(['htop', 'ls']);
    expect(first('remove htop', { packageManager: 'apt', commands })).toBe('sudo apt remove htop');
    expect(first('please remove vlc', { packageManager: 'apt', commands })).toBe('sudo apt remove vlc');
    expect(first('remove notes', { packageManager: 'apt', commands })).toBe('rm notes');
    expect(first('delete the folder build', { commands })).toBe('rm -r build');
  });

  it.each([
    ['add user bob to the docker group', 'sudo usermod -aG docker bob'],
    ['create a new user alice', 'sudo adduser alice'],
    ['change the owner of /srv/www to www-data recursively', 'sudo chown -R www-data /srv/www'],
    ['give everyone read access to notes.txt', 'chmod a+r notes.txt'],
    ['set permissions of secret.key so only i can read it', 'chmod 600 secret.key'],
    ['who owns /etc/shadow and what are its permissions?', 'ls -l /etc/shadow'],
    ['set the permissions of run.sh to 755', 'chmod 755 run.sh'],
  ])('users and permissions: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['ping google.com 5 times', 'ping -c 5 google.com'],
    ['show my public ip', 'curl -s https://ifconfig.me'],
    ['copy report.pdf to bob@server:/tmp', 'scp report.pdf bob@server:/tmp'],
    ['ssh into server.example.com as root', 'ssh root@server.example.com'],
    ['connect to 192.168.1.10 as root on port 2222', 'ssh -p 2222 root@192.168.1.10'],
    ['generate an ssh key', 'ssh-keygen -t ed25519'],
    ['which process uses port 8080', "ss -ltnp 'sport = :8080'"],
  ])('network: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['show cpu info', 'lscpu'],
    ['what cpu do i have', 'lscpu'],
    ['list usb devices', 'lsusb'],
    ['list block devices', 'lsblk'],
    ['show mounted filesystems', 'findmnt'],
    ['mount /dev/sdb1 on /mnt', 'sudo mount /dev/sdb1 /mnt'],
    ['set the timezone to Europe/Berlin', 'sudo timedatectl set-timezone Europe/Berlin'],
    ['shut down in 10 minutes', 'sudo shutdown -h +10'],
    ['reboot the machine', 'sudo systemctl reboot'],
    ['what version of debian is this?', 'cat /etc/os-release'],
    ['what is using the most memory', 'ps aux --sort=-%mem | head -n 11'],
    ['show the process tree', 'ps -ef --forest'],
    ['kill process 1234', 'kill 1234'],
    ['watch memory usage every 5 seconds', 'watch -n 5 free -h'],
  ])('system: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['show the current git branch', 'git branch --show-current'],
    ['show the last 5 commits', 'git log --oneline -n 5'],
    ['undo my last commit but keep the changes', 'git reset --soft HEAD~1'],
    ['create a new branch called feature-login and switch to it', 'git switch -c feature-login'],
    ['discard my changes to config.yml', 'git restore config.yml'],
    ['list all branches', 'git branch -a'],
  ])('git: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['compress the logs folder into a tar.gz', 'tar -czf logs.tar.gz logs'],
    ['zip the docs directory', 'zip -r docs.zip docs'],
    ['unzip photos.zip into ~/Pictures', 'unzip photos.zip -d ~/Pictures'],
    ['list the contents of archive.tar', 'tar -tf archive.tar'],
    ['sort names.txt and remove duplicates', 'sort -u names.txt'],
    ['count how many times each line appears in access.log', 'sort access.log | uniq -c | sort -rn'],
    ['replace foo with bar in config.ini', "sed -i 's/foo/bar/g' config.ini"],
    ['print the first column of data.csv', "awk -F, '{print $1}' data.csv"],
    ['search for TODO in all .py files in src', "grep -rn --include='*.py' TODO src"],
    ['which files in /etc mention PermitRootLogin', 'grep -rl PermitRootLogin /etc'],
    ['how many lines in access.log contain 404?', 'grep -c 404 access.log'],
    ['find lines containing error in app.log, ignore case', 'grep -ni error app.log'],
    ['count lines in all python files', "find . -type f -name '*.py' -exec wc -l {} +"],
    ['how big is my Downloads folder', 'du -sh ~/Downloads'],
    [
      'find all .log files under /var/log bigger than 100 MB',
      "find /var/log -type f -name '*.log' -size +100M",
    ],
    [
      'run backup.sh every day at 2am',
      '(crontab -l 2>/dev/null; echo "0 2 * * * $PWD/backup.sh") | crontab -',
    ],
    ['list cron jobs', 'crontab -l'],
  ])('files, text and archives: %s', (request, command) => {
    expect(first(request)).toBe(command);
  });

  it.each([
    ['restart network manager', 'sudo systemctl restart NetworkManager'],
    ['list running containers', 'docker ps'],
    ['show logs of container web', 'docker logs web'],
    ['list all users', 'getent passwd'],
    ['give bob sudo rights', 'sudo usermod -aG sudo bob'],
    ['change the group of report.pdf to staff', 'chgrp staff report.pdf'],
    ['find files owned by bob', 'find . -user bob'],
    ['find broken symlinks', 'find . -xtype l'],
    ['how big is ubuntu.iso', 'du -h ubuntu.iso'],
    ['remove blank lines from notes.txt', "sed -i '/^[[:space:]]*$/d' notes.txt"],
    ['print line 42 of server.py', "sed -n '42p' server.py"],
    ['pretty print data.json', 'jq . data.json'],
    ['run cleanup.sh in 10 minutes', 'echo ./cleanup.sh | at now + 10 minutes'],
    ['forward local port 8080 to port 80 on example.com', 'ssh -N -L 8080:localhost:80 example.com'],
    ['sync photos to bob@nas:/backup', 'rsync -av photos bob@nas:/backup'],
    ['flush the dns cache', 'resolvectl flush-caches'],
    ['list upgradable packages', 'apt list --upgradable'],
    ['install ./chrome.deb', 'sudo apt install ./chrome.deb'],
    ['commit with message "fix typo"', "git commit -m 'fix typo'"],
    ['show free space on /home', 'df -h /home'],
    ['what ports are open', 'ss -tulpn'],
  ])('more everyday requests: %s', (request, command) => {
    expect(first(request, { packageManager: 'apt' })).toBe(command);
  });

  it.each([
    ['find files named report', "find . -type f -iname '*report*'"],
    ['search for the word password in config files under /etc', 'grep -rn password /etc'],
    ['how much disk space does /var/log use', 'du -sh /var/log'],
    ['kill whatever is on port 3000', 'fuser -k 3000/tcp'],
    ['show network connections', 'ss -tunp'],
    ['check if google.com is reachable', 'ping -c 4 google.com'],
    ["what's the ip of example.com", 'dig +short example.com'],
    ['show installed version of nginx', 'apt policy nginx'],
    ['clear old journal logs', 'sudo journalctl --vacuum-time=2weeks'],
    ['create an archive of my home directory', 'tar -czf home.tar.gz ~'],
    ['add a new group developers', 'sudo groupadd developers'],
    ['remove user bob from group docker', 'sudo gpasswd -d bob docker'],
    ['show git log as a graph', 'git log --oneline --graph --all'],
    ['revert the last commit', 'git revert HEAD'],
    ['list scheduled cron jobs for root', 'sudo crontab -l -u root'],
    ['copy a.txt and b.txt to backup/', 'cp a.txt b.txt backup/'],
    ['copy "my notes.txt" to /tmp', "cp 'my notes.txt' /tmp"],
    ['copy config.ini to /etc/app/ preserving permissions', 'cp -p config.ini /etc/app/'],
    ['move all jpg files to Pictures', 'mv -- *.jpg ~/Pictures'],
  ])('a third round of everyday requests: %s', (request, command) => {
    expect(first(request, { packageManager: 'apt' })).toBe(command);
  });

  it.each([
    ['show me the biggest folders in my home', 'du -h --max-depth=1 ~ | sort -rh | head -n 10'],
    ['delete all node_modules folders', 'find . -type d -name node_modules -prune -exec rm -rf {} +'],
    ['how many processes are running', 'ps -e --no-headers | wc -l'],
    ['set an alias ll for ls -la', "alias ll='ls -la'"],
    ['show the dns servers', 'resolvectl dns'],
    ['open port 8080 in the firewall', 'sudo ufw allow 8080/tcp'],
    ['check the firewall status', 'sudo ufw status verbose'],
    ['allow ssh through the firewall', 'sudo ufw allow ssh'],
    ['list all installed kernels', "dpkg --list 'linux-image*' | grep ^ii"],
    ['show disk health of /dev/sda', 'sudo smartctl -H -A /dev/sda'],
    ['format usb drive /dev/sdb1 as fat32', 'sudo mkfs.vfat -F 32 /dev/sdb1'],
    ['list all open files by nginx', 'sudo lsof -c nginx'],
    ['show logs from the last hour', "journalctl --since '1 hour ago'"],
    ['show boot errors', 'journalctl -p err -b'],
    ['show the last reboot time', 'who -b'],
    ['change the default shell to zsh', 'chsh -s "$(command -v zsh)"'],
    ['switch user to alice', 'su - alice'],
    ['lock the screen', 'loginctl lock-session'],
    [
      'create a swap file of 4GB',
      'sudo fallocate -l 4G /swapfile && sudo chmod 600 /swapfile && sudo mkswap /swapfile && sudo swapon /swapfile',
    ],
    ['generate a random password', 'openssl rand -base64 24'],
    ['encode file.txt in base64', 'base64 file.txt'],
  ])('a fourth round of everyday requests: %s', (request, command) => {
    expect(first(request, { packageManager: 'apt' })).toBe(command);
  });

  it('uses firewalld where the package manager says Fedora-like', () => {
    expect(first('open port 8080 in the firewall', { packageManager: 'dnf' })).toBe(
      'sudo firewall-cmd --permanent --add-port=8080/tcp && sudo firewall-cmd --reload',
    );
  });

  it('leaves the long, corpus-style descriptions that a rule would only half answer alone', () => {
    // "directory tree" means recursively here, not the `tree` program
    expect(
      applyRules('Apply script ./group.sed to all regular files of the current directory tree').map(
        (r) => r.rule,
      ),
    ).not.toContain('tree');
    expect(first('show the directory tree of /etc')).toBe('tree -L 2 /etc');
    // copying to a host is rsync/scp, not a tarball
    expect(
      applyRules('Archive "/source" to "/dst/" on host "remoteserver" as user "user"').map((r) => r.rule),
    ).not.toContain('archive-create');
    // "/backup" is a place, not a request to back up
    expect(first('copy dir1 to /backup recursively')).toBe('cp -r dir1 /backup');
    // a directory of logs is not a log file to tail
    expect(applyRules('find files in /var/log modified today').map((r) => r.rule)).not.toContain('log-file');
  });

  it('keeps words of the request from becoming commands of their own', () => {
    const hostile = [
      'copy report.pdf to x@y:$(reboot)',
      'ssh into evil.com;reboot as root',
      'connect to 10.0.0.1;reboot as root on port 22',
      "replace x'$(reboot)' with y in notes.txt",
      'replace "a\'$(reboot)" with "b" in notes.txt',
      'run /tmp/x$(reboot).sh every day at 2am',
      'sync photos to bob@nas:/x;reboot',
      'mount /dev/sdb1;reboot on /mnt',
      'clone the git repo https://example.com/r.git;reboot',
      'is port 22 open on host;reboot',
      'copy my ssh key to bob@host;reboot',
    ];
    for (const request of hostile)
      for (const c of applyRules(request, { packageManager: 'apt' })) {
        const names = extractCommands(c.command).commands.map((x) => x.name);
        expect(names, `${request} → ${c.command}`).not.toContain('reboot');
      }
  });

  it('never fails on odd input', () => {
    for (const r of [
      '',
      ' ',
      'restart',
      'install',
      'remove',
      '((((',
      'ssh to',
      'chmod to 999',
      'x'.repeat(5000),
    ])
      expect(() => applyRules(r, { packageManager: 'apt', commands: new Set() })).not.toThrow();
    expect(first('restart the')).toBeUndefined();
  });
});
