extension WeekIntake {
    /// Reads a week's rows files in order through this intake, then sets conflicting payloads aside and
    /// returns the week's inputs. `progress(name, n)`: n payloads of the file read so far; `fileDone(name)`
    /// follows each file, read or not (a failed file stops the reading).
    public mutating func readAll(_ files: [(path: String, displayName: String)], progress: ((String, Int) -> Void)? = nil,
                                 fileDone: ((String) -> Void)? = nil) throws(IntakeError) -> WeekInputs {
        for file in files {
            defer { fileDone?(file.displayName) }
            try read(path: file.path, displayName: file.displayName, progress: progress.map { p in { p(file.displayName, $0) } })
        }
        return try finish()
    }
}
