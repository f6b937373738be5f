; Inno Setup 6 script for Seller Studio on Windows (not built on this project's Linux machine).
;
; On a Windows machine with Python 3.11+ and Inno Setup 6:
;   py -m venv .venv && .venv\Scripts\pip install -e .[bundle]
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\seller-studio.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\seller-studio.iss
; The installer lands in dist\SellerStudio-Setup-<version>.exe. Check the installed copy with
;   "%LOCALAPPDATA%\Programs\Seller Studio\seller-studio-cli.exe" --self-test
;
; The user's data (AppData\Local\seller-studio\seller-studio: inventory, photos, backups,
; logs, models) is outside the install folder: an upgrade or an uninstall never touches it.

#define AppName "Seller Studio"
#define AppVersion GetEnv("STUDIO_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\dist\seller-studio"

[Setup]
; Keep this AppId for every release: it is how an upgrade finds the installed copy.
AppId={{6C1E2D0A-4B7F-4E55-9C1D-5E3A8B2F7D41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Seller Studio
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
; Per-user by default (no administrator needed); the dialog offers all users too.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=SellerStudio-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\seller-studio.ico
UninstallDisplayIcon={app}\seller-studio.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An open Seller Studio holds its files: ask to close it before replacing them.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program folder whole, so no module of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\seller-studio.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\seller-studio.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\seller-studio.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program wrote into its own folder after installing (numba's cache beside
; pymatting). The data folder is elsewhere and not listed here, so it stays.
Type: filesandordirs; Name: "{app}\_internal"

[Messages]
UninstalledAll=%1 was removed. Your inventory, photos and backups are kept (in AppData\Local\seller-studio); delete that folder yourself if you no longer want them.
